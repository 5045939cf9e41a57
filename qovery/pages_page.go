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
// from first) lazily, as listPages walks one paginated by startId, with
// the same errors. The walk ends on an empty page, or on a page shorter
// than a page size that is known: a list that says no size is not taken
// to have the default one, since a vendor's default page smaller than ours
// would end the walk after its first page. A page whose items repeat an
// ID (a server ignoring the page number) ends it with a *PageError.
func listNumberedPages[T any](ctx context.Context, list string, first int, fetch numberedPageFunc[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := newSeenIDs()
		for page, n := first, 1; ; page, n = page+1, n+1 {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, size, err := fetch(ctx, page)
			if err == nil {
				err = checkPage(seen, list, n, items, idOf)
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
			if len(items) == 0 || (size > 0 && len(items) < size) {
				return
			}
		}
	}
}

// firstPage is the page a walk starts from: the one the caller asked
// for, or 1.
func firstPage[N ~int | ~int32 | ~int64 | ~float32 | ~float64](p *N) int {
	if p == nil || *p < 1 {
		return 1
	}
	return int(*p)
}
