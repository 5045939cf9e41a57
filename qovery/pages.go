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

// listPages walks the startId-paginated list named list lazily: one request
// per page, made only when the previous page has been consumed, and one page
// in memory at a time. It yields each item with a nil error. On the first
// failure it yields the zero T with the error and stops. A page shorter than
// the page size, or empty, is the last one. list is what a *PageError
// calls the list, e.g. "Backups.ListIter (listDatabaseBackup) of database
// <id>" for the generated Iter methods.
//
// The rule that keeps a lying API from looping it: within one walk, every
// item ID appears once. Each cursor is the last ID of a page, so a page
// served twice, a cursor that does not move and a cursor that cycles back
// all break that rule too. A page holding an ID already seen (on an
// earlier page or earlier on the same one) is not yielded at all: the walk
// stops with a *PageError naming the list. Items without an ID are yielded
// without the check; a full page whose last item has no ID also ends the
// walk with a *PageError, as there is nothing to continue from. The IDs
// seen cost about 30 bytes each for the length of the walk.
func listPages[T any](ctx context.Context, list string, fetch pageFunc[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		var after *uuid.UUID
		seen := newSeenIDs()
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, size, err := fetch(ctx, after)
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
			if size <= 0 {
				size = defaultPageSize
			}
			if len(items) == 0 || len(items) < size {
				return
			}
			next := idOf(&items[len(items)-1])
			if next == nil {
				yield(zero, &PageError{List: list, Page: page})
				return
			}
			id := *next
			after = &id
		}
	}
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
