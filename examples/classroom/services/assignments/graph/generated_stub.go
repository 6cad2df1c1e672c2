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

	"example.com/classroom/assignments/graph/model"
)

type ResolverRoot interface {
	Assignment() AssignmentResolver
	Entity() EntityResolver
	Mutation() MutationResolver
	Query() QueryResolver
}

type DirectiveRoot struct {
}

type AssignmentResolver interface {
	CreatedDate(ctx context.Context, obj *model.Assignment) (*time.Time, error)
	Title(ctx context.Context, obj *model.Assignment) (string, error)
	DueDate(ctx context.Context, obj *model.Assignment) (*time.Time, error)
	IsPublished(ctx context.Context, obj *model.Assignment) (bool, error)
	GradingRubricURL(ctx context.Context, obj *model.Assignment) (*string, error)
}
type EntityResolver interface {
	FindAssignmentByID(ctx context.Context, id string) (*model.Assignment, error)
}
type MutationResolver interface {
	CreateAssignment(ctx context.Context, input model.CreateAssignmentInput) (*model.CreateAssignmentPayload, error)
}
type QueryResolver interface {
	Assignment(ctx context.Context, id string) (*model.Assignment, error)
}

// Resolver must implement every interface generated.go declares.
var _ ResolverRoot = (*Resolver)(nil)
