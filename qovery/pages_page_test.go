package qovery

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
)

type pagedItem struct{ ID *uuid.UUID }

func pagedItems(n int) []pagedItem {
	items := make([]pagedItem, n)
	for i := range items {
		id := uuid.New()
		items[i].ID = &id
	}
	return items
}

func pagedID(v *pagedItem) *uuid.UUID { return v.ID }

// A list paged by number is walked from the page asked for until an empty
// page, or a page shorter than a known page size.
func TestListNumberedPagesWalksUntilEmptyOrShort(t *testing.T) {
	all := pagedItems(25)
	for _, tc := range []struct {
		name      string
		size      int // reported by each page; 0 when unknown
		wantPages []int
	}{
		{"size known: the short page is the last", 10, []int{1, 2, 3}},
		{"size unknown: an empty page ends it", 0, []int{1, 2, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []int
			fetch := func(_ context.Context, page int) ([]pagedItem, int, error) {
				asked = append(asked, page)
				lo, hi := min((page-1)*10, len(all)), min(page*10, len(all))
				return all[lo:hi], tc.size, nil
			}
			got, err := collect(listNumberedPages(context.Background(), "things", 1, fetch, pagedID))
			if err != nil || len(got) != len(all) {
				t.Fatalf("got %d items, %v; want %d", len(got), err, len(all))
			}
			if len(asked) != len(tc.wantPages) {
				t.Fatalf("asked for pages %v, want %v", asked, tc.wantPages)
			}
		})
	}
}

// A server that ignores the page number serves the first page again: the
// walk stops with a *PageError rather than looping.
func TestListNumberedPagesStopsOnARepeatedPage(t *testing.T) {
	page := pagedItems(10)
	fetch := func(context.Context, int) ([]pagedItem, int, error) { return page, 0, nil }
	got, err := collect(listNumberedPages(context.Background(), "things", 1, fetch, pagedID))
	var pe *PageError
	if !errors.As(err, &pe) || pe.Page != 2 || pe.FirstPage != 1 {
		t.Fatalf("err = %v, want a *PageError on page 2", err)
	}
	if len(got) != 10 {
		t.Fatalf("yielded %d items before the error, want the first page's 10", len(got))
	}
}

// Items without an ID cannot be checked, so a walk of them ends on an
// empty page only.
func TestListNumberedPagesItemsWithoutID(t *testing.T) {
	fetch := func(_ context.Context, page int) ([]string, int, error) {
		if page > 2 {
			return nil, 0, nil
		}
		return []string{"a", "b"}, 0, nil
	}
	got, err := collect(listNumberedPages(context.Background(), "lines", firstPage[int](nil), fetch, noID[string]))
	if err != nil || len(got) != 4 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestFirstPage(t *testing.T) {
	zero, three := int32(0), int32(3)
	for p, want := range map[*int32]int{nil: 1, &zero: 1, &three: 3} {
		if got := firstPage(p); got != want {
			t.Errorf("firstPage(%v) = %d, want %d", p, got, want)
		}
	}
}

func TestListNumberedPagesFailures(t *testing.T) {
	boom := errors.New("boom")
	fetch := func(context.Context, int) ([]pagedItem, int, error) { return nil, 0, boom }
	if _, err := collect(listNumberedPages(context.Background(), "things", 1, fetch, pagedID)); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fetch's", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := collect(listNumberedPages(ctx, "things", 1, fetch, pagedID)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
