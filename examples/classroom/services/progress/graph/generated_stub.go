// This file stands in for generated.go, which gqlgen writes from gqlgen.yml
// and the schema (go run github.com/99designs/gqlgen generate). It declares
// only what the resolver files need from generated.go, the resolver
// interfaces, so that the package compiles and `go vet` checks the resolvers
// without running gqlgen or downloading its module. Delete it when you
// generate the real generated.go and federation.go.

package graph

import (
	"context"
	"time"

	"example.com/classroom/progress/graph/model"
)

type ResolverRoot interface {
	Entity() EntityResolver
	Progress() ProgressResolver
	Query() QueryResolver
	User() UserResolver
}

type DirectiveRoot struct {
}

type EntityResolver interface {
	FindProgressByID(ctx context.Context, id string) (*model.Progress, error)
	FindUserByKaid(ctx context.Context, kaid string) (*model.User, error)
}

// MutationResolver is what gqlgen generates once this service's schema has
// a Mutation; the tutorial moves Mutation.recordProgress here, so the stand-in
// declares it ahead of time (unused until then, as ResolverRoot lacks it).
type MutationResolver interface {
	RecordProgress(ctx context.Context, contentID string, kaid string, pointsEarned *int, status model.ProgressStatus) (*model.RecordProgress, error)
}
type ProgressResolver interface {
	Status(ctx context.Context, obj *model.Progress) (*model.ProgressStatus, error)
	PointsEarned(ctx context.Context, obj *model.Progress) (*int, error)
	LastAttemptedAt(ctx context.Context, obj *model.Progress) (*time.Time, error)
}
type QueryResolver interface {
	ProgressForUser(ctx context.Context, kaid string) ([]*model.Progress, error)
}
type UserResolver interface {
	ProgressPercent(ctx context.Context, obj *model.User) (*float64, error)
}

// Resolver must implement every interface generated.go declares.
var _ ResolverRoot = (*Resolver)(nil)
