// Package model holds the Go types bound to the schema (gqlgen.yml autobinds
// this package). They are written by hand: gqlgen only generates models_gen.go
// for schema types it cannot find here.
package model

import "time"

// Assignment is the entity this service extends. It carries only the key;
// every other field is served by AssignmentResolver.
type Assignment struct {
	ID string `json:"id"`
}

func (Assignment) IsEntity() {}

type CreateAssignmentInput struct {
	ClassroomID string     `json:"classroomId"`
	Title       string     `json:"title"`
	ContentIDs  []string   `json:"contentIds"`
	DueDate     *time.Time `json:"dueDate,omitempty"`
	IsPublished *bool      `json:"isPublished,omitempty"`
}

type CreateAssignmentPayload struct {
	Assignment *Assignment `json:"assignment,omitempty"`
	Errors     []string    `json:"errors"`
}

type Mutation struct {
}

type Query struct {
}
