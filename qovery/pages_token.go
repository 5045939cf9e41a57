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

// listTokenPages walks a list paginated by continuation token lazily, as
// listPages walks one paginated by startId, with the same errors. The walk
// ends when a page gives no next token. A token given twice, or items
// whose IDs repeat, would loop it: either ends it with a *PageError.
func listTokenPages[T any](ctx context.Context, list string, first string, fetch tokenPageFunc[T], idOf func(*T) *uuid.UUID) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		seen := newSeenIDs()
		tokens := map[string]bool{first: first != ""}
		token := first
		for page := 1; ; page++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, next, err := fetch(ctx, token)
			if err == nil {
				err = checkPage(seen, list, page, items, idOf)
			}
			if err == nil && tokens[next] {
				err = &PageError{List: list, Page: page, Token: true}
			}
			tokens[next] = next != ""
			if err != nil {
				yield(zero, err)
				return
			}
			for i := range items {
				if !yield(items[i], nil) {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}

// tokenOf is a token the answer gives as a pointer: "" when it gives none.
func tokenOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
