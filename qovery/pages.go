package qovery

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// defaultPageSize is the page size of the API's startId-paginated lists,
// used when a page does not report its own.
const defaultPageSize = 20

// pageFunc fetches the page that starts after the item whose ID is after
// (nil for the first page). It returns the items and the page size the
// server reported (0 if it did not).
type pageFunc[T any] func(ctx context.Context, after *uuid.UUID) (items []T, pageSize int, err error)

// cursor is where a walk stands in its list (see walkPages): fetch reads
// the page it points at, next moves it past that page's items once they are
// yielded and reports whether another page follows. An error from fetch
// ends the walk before the page's items are yielded, one from next after
// them. page counts the pages of the walk from 1.
type cursor[T any] interface {
	fetch(ctx context.Context, page int) ([]T, error)
	next(items []T, page int) (more bool, err error)
}

// walkPages walks the list named list lazily, as its cursor moves through it: one
// request per page, made only when the previous page has been consumed,
// and one page in memory at a time. It yields each item with a nil error;
// on the first failure it yields the zero T with the error and stops. list
// is what a *PageError calls the list, e.g. "Backups.ListIter
// (listDatabaseBackup) of database <id>" for the generated Iter methods.
//
// The rule that keeps a lying API from looping a walk, whatever its
// pagination: within one walk, every item ID appears once. A page served
// twice, or a cursor that does not move or cycles back, breaks it. A page
// holding an ID already seen (on an earlier page or earlier on the same
// one) is not yielded at all: the walk stops with a *PageError naming the
// list. Items without an ID are yielded without the check. The IDs seen
// cost about 30 bytes each for the length of the walk.
//
// newCursor makes the cursor of one walk: the sequence may be ranged over
// more than once, each time from the start.
func walkPages[T any](ctx context.Context, list string, newCursor func() cursor[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		c := newCursor()
		seen := newSeenIDs()
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, err := c.fetch(ctx, page)
			if err == nil {
				err = checkPage(seen, list, page, items, idOf)
			}
			if err != nil {
				yield(zero, err)
				return
			}
			for i := range items {
				if !yield(items[i], nil) {
					return
				}
			}
			more, err := c.next(items, page)
			if err != nil {
				yield(zero, err)
				return
			}
			if !more {
				return
			}
		}
	}
}

// listPages walks a list paginated by startId: each page starts after the
// last item of the one before. A page shorter than the page size, or
// empty, is the last one. Each cursor being the last ID of a page, a page
// served twice or a cursor that does not move breaks the rule of
// walkPages; a full page whose last item has no ID also ends the walk with
// a *PageError, as there is nothing to continue from.
func listPages[T any](ctx context.Context, list string, fetch pageFunc[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return walkPages(ctx, list, func() cursor[T] { return &startIDCursor[T]{list: list, get: fetch, idOf: idOf} }, idOf)
}

// startIDCursor is the cursor of a list paginated by startId.
type startIDCursor[T any] struct {
	list  string
	get   pageFunc[T]
	idOf  func(*T) *uuid.UUID
	after *uuid.UUID // nil for the first page
	size  int        // the page size the last page reported
}

func (c *startIDCursor[T]) fetch(ctx context.Context, _ int) ([]T, error) {
	items, size, err := c.get(ctx, c.after)
	c.size = size
	return items, err
}

func (c *startIDCursor[T]) next(items []T, page int) (bool, error) {
	size := c.size
	if size <= 0 {
		size = defaultPageSize
	}
	if len(items) == 0 || len(items) < size {
		return false, nil
	}
	last := c.idOf(&items[len(items)-1])
	if last == nil {
		return false, &PageError{List: c.list, Page: page}
	}
	id := *last
	c.after = &id
	return true, nil
}

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

func pageSize[N ~int | ~int32 | ~int64 | ~float32 | ~float64](p *N) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

// mapID is the id of an item the spec describes as an open object.
func mapID(m *map[string]any) *uuid.UUID {
	s, _ := (*m)["id"].(string)
	id, err := uuid.Parse(s)
	if err != nil {
		return nil
	}
	return &id
}
