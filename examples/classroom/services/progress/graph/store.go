package graph

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// progressRow is what the progress table stores for one learner and one
// piece of content. The demo keeps the table in memory.
type progressRow struct {
	ID              string
	Kaid            string
	ContentID       string
	Status          string // as stored: "not_started", "started", ... or a legacy value
	PointsEarned    int
	LastAttemptedAt *time.Time
}

func at(year int, month time.Month, day, hour, min int) *time.Time {
	t := time.Date(year, month, day, hour, min, 0, 0, time.UTC)
	return &t
}

var db = struct {
	sync.Mutex
	progress map[string]progressRow
}{
	progress: map[string]progressRow{
		"prg_1": {ID: "prg_1", Kaid: "kaid_student_1", ContentID: "x2f8bb11e", Status: "completed", PointsEarned: 120, LastAttemptedAt: at(2023, time.September, 6, 18, 2)},
		"prg_2": {ID: "prg_2", Kaid: "kaid_student_1", ContentID: "xa1c37b45", Status: "started", PointsEarned: 40, LastAttemptedAt: at(2023, time.September, 7, 17, 45)},
		"prg_3": {ID: "prg_3", Kaid: "kaid_student_2", ContentID: "x2f8bb11e", Status: "mastered", PointsEarned: 200, LastAttemptedAt: at(2023, time.September, 5, 20, 11)},
	},
}

// loadProgress loads one row, or fails when the id is unknown.
func (r *Resolver) loadProgress(id string) (progressRow, error) {
	db.Lock()
	defer db.Unlock()
	row, ok := db.progress[id]
	if !ok {
		return progressRow{}, fmt.Errorf("progress %q not found", id)
	}
	return row, nil
}

// progressOf returns a learner's rows ordered by content id.
func (r *Resolver) progressOf(kaid string) []progressRow {
	db.Lock()
	defer db.Unlock()
	var rows []progressRow
	for _, row := range db.progress {
		if row.Kaid == kaid {
			rows = append(rows, row)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ContentID < rows[j].ContentID })
	return rows
}

// recordAttempt adds points to a learner's row for the content (a new row
// when there is none) and sets its status, as the monolith's mutation does.
func (r *Resolver) recordAttempt(kaid, contentID, status string, points int) progressRow {
	db.Lock()
	defer db.Unlock()
	now := time.Now().UTC()
	for id, row := range db.progress {
		if row.Kaid == kaid && row.ContentID == contentID {
			row.PointsEarned += points
			row.Status = status
			row.LastAttemptedAt = &now
			db.progress[id] = row
			return row
		}
	}
	row := progressRow{
		ID:              fmt.Sprintf("prg_%d", len(db.progress)+1),
		Kaid:            kaid,
		ContentID:       contentID,
		Status:          status,
		PointsEarned:    points,
		LastAttemptedAt: &now,
	}
	db.progress[row.ID] = row
	return row
}
