"""The classroom monolith: a graphene 3 GraphQL API over in-memory data."""
