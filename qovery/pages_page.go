package qovery

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// numberedPageFunc fetches page number page of a list. It returns the
// items and the page size, when the answer or the request says it (0 if
// neither does).
type numberedPageFunc[T any] func(ctx context.Context, page int) (items []T, pageSize int, err error)

// listNumberedPages walks a list paginated by page number (page=1, 2, ...
// from first), as walkPages walks any list, with the same errors. The walk
// ends on an empty page, or on a page shorter than a page size that is
// known: a list that says no size is not taken to have the default one,
// since a vendor's default page smaller than ours would end the walk after
// its first page. A page whose items repeat an ID (a server ignoring the
// page number) ends it with a *PageError.
func listNumberedPages[T any](ctx context.Context, list string, first int, fetch numberedPageFunc[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return walkPages(ctx, list, func() cursor[T] { return &numberedCursor[T]{get: fetch, number: first} }, idOf)
}

// numberedCursor is the cursor of a list paginated by page number.
type numberedCursor[T any] struct {
	get    numberedPageFunc[T]
	number int // the page number to ask for
	size   int // the page size the last page said, or 0
}

func (c *numberedCursor[T]) fetch(ctx context.Context, _ int) ([]T, error) {
	items, size, err := c.get(ctx, c.number)
	c.size = size
	return items, err
}

func (c *numberedCursor[T]) next(items []T, _ int) (bool, error) {
	if len(items) == 0 || (c.size > 0 && len(items) < c.size) {
		return false, nil
	}
	c.number++
	return true, nil
}

// firstPage is the page a walk starts from: the one the caller asked
// for, or 1.
func firstPage[N ~int | ~int32 | ~int64 | ~float32 | ~float64](p *N) int {
	if p == nil || *p < 1 {
		return 1
	}
	return int(*p)
}
