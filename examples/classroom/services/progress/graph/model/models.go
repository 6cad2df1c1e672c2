// Package model holds the Go types bound to the schema (gqlgen.yml autobinds
// this package). They are written by hand: gqlgen only generates models_gen.go
// for schema types it cannot find here.
package model

import (
	"fmt"
	"io"
	"strconv"
)

// Progress carries only its key; the other fields are served by
// ProgressResolver.
type Progress struct {
	ID string `json:"id"`
}

func (Progress) IsEntity() {}

type Query struct {
}

// RecordProgress is the payload of Mutation.recordProgress, which the
// tutorial moves to this service.
type RecordProgress struct {
	Progress *Progress `json:"progress,omitempty"`
}

// User is the monolith's entity; this service adds progressPercent to it.
type User struct {
	Kaid string `json:"kaid"`
}

func (User) IsEntity() {}

// Where a learner is on one piece of content.
type ProgressStatus string

const (
	ProgressStatusNotStarted ProgressStatus = "NOT_STARTED"
	ProgressStatusStarted    ProgressStatus = "STARTED"
	ProgressStatusCompleted  ProgressStatus = "COMPLETED"
	// Passed the mastery challenge for the content.
	ProgressStatusMastered ProgressStatus = "MASTERED"
)

var AllProgressStatus = []ProgressStatus{
	ProgressStatusNotStarted,
	ProgressStatusStarted,
	ProgressStatusCompleted,
	ProgressStatusMastered,
}

func (e ProgressStatus) IsValid() bool {
	switch e {
	case ProgressStatusNotStarted, ProgressStatusStarted, ProgressStatusCompleted, ProgressStatusMastered:
		return true
	}
	return false
}

func (e ProgressStatus) String() string {
	return string(e)
}

func (e *ProgressStatus) UnmarshalGQL(v interface{}) error {
	str, ok := v.(string)
	if !ok {
		return fmt.Errorf("enums must be strings")
	}

	*e = ProgressStatus(str)
	if !e.IsValid() {
		return fmt.Errorf("%s is not a valid ProgressStatus", str)
	}
	return nil
}

func (e ProgressStatus) MarshalGQL(w io.Writer) {
	fmt.Fprint(w, strconv.Quote(e.String()))
}
