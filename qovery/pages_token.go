package qovery

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// tokenPageFunc fetches the page a continuation token names ("" for the
// first). It returns the items and the token of the next page, "" after
// the last.
type tokenPageFunc[T any] func(ctx context.Context, token string) (items []T, next string, err error)

// listTokenPages walks a list paginated by continuation token, as
// walkPages walks any list, with the same errors. The walk ends when a page
// gives no next token. A token given twice, or items whose IDs repeat,
// would loop it: either ends it with a *PageError, before the page's items
// are yielded.
func listTokenPages[T any](ctx context.Context, list string, first string, fetch tokenPageFunc[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return walkPages(ctx, list, func() cursor[T] {
		return &tokenCursor[T]{list: list, get: fetch, token: first, used: map[string]bool{first: first != ""}}
	}, idOf)
}

// tokenCursor is the cursor of a list paginated by continuation token.
type tokenCursor[T any] struct {
	list  string
	get   tokenPageFunc[T]
	token string          // the token to ask with; "" for the first page
	used  map[string]bool // the tokens the walk has asked with or been given
}

func (c *tokenCursor[T]) fetch(ctx context.Context, page int) ([]T, error) {
	items, next, err := c.get(ctx, c.token)
	if err != nil {
		return nil, err
	}
	if c.used[next] {
		return nil, &PageError{List: c.list, Page: page, Token: true}
	}
	c.used[next] = next != ""
	c.token = next
	return items, nil
}

func (c *tokenCursor[T]) next([]T, int) (bool, error) { return c.token != "", nil }

// tokenOf is a token the answer gives as a pointer: "" when it gives none.
func tokenOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
