package graph

import (
	"fmt"
	"sync"
	"time"
)

// assignmentRow is what the assignments table stores for one assignment.
// The demo keeps the table in memory.
type assignmentRow struct {
	ID          string
	ClassroomID string
	Title       string
	ContentIDs  []string
	CreatedAt   *time.Time
	DueDate     *time.Time
	IsPublished bool
	RubricURL   string
}

func at(year int, month time.Month, day, hour, min int) *time.Time {
	t := time.Date(year, month, day, hour, min, 0, 0, time.UTC)
	return &t
}

var db = struct {
	sync.Mutex
	assignments map[string]assignmentRow
	nextID      int
}{
	assignments: map[string]assignmentRow{
		"asg_1": {
			ID:          "asg_1",
			ClassroomID: "class_algebra",
			Title:       "Solving linear equations",
			ContentIDs:  []string{"x2f8bb11e", "xa1c37b45"},
			CreatedAt:   at(2023, time.September, 4, 15, 30),
			DueDate:     at(2023, time.September, 11, 23, 59),
			IsPublished: true,
			RubricURL:   "https://rubrics.example/linear-equations",
		},
		"asg_2": {
			ID:          "asg_2",
			ClassroomID: "class_algebra",
			Title:       "Graphing slope",
			ContentIDs:  []string{"x7d0e1f22"},
		},
	},
	nextID: 100,
}

// loadAssignment loads one row, or fails when the id is unknown.
func (r *Resolver) loadAssignment(id string) (assignmentRow, error) {
	db.Lock()
	defer db.Unlock()
	row, ok := db.assignments[id]
	if !ok {
		return assignmentRow{}, fmt.Errorf("assignment %q not found", id)
	}
	return row, nil
}

// insertAssignment stores a new row and returns it with its id set.
func (r *Resolver) insertAssignment(row assignmentRow) assignmentRow {
	db.Lock()
	defer db.Unlock()
	db.nextID++
	row.ID = fmt.Sprintf("asg_%d", db.nextID)
	db.assignments[row.ID] = row
	return row
}
