package qovery

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// A list paged by token is walked from the caller's token until a page
// gives none.
func TestListTokenPagesFollowsTheTokens(t *testing.T) {
	all := pagedItems(25)
	var asked []string
	fetch := func(_ context.Context, token string) ([]pagedItem, string, error) {
		asked = append(asked, token)
		page := 0
		if token != "" {
			page, _ = strconv.Atoi(token)
		}
		lo, hi := min(page*10, len(all)), min((page+1)*10, len(all))
		next := ""
		if hi < len(all) {
			next = strconv.Itoa(page + 1)
		}
		return all[lo:hi], next, nil
	}
	got, err := collect(listTokenPages(context.Background(), "things", tokenOf(nil), fetch, pagedID))
	if err != nil || len(got) != len(all) {
		t.Fatalf("got %d items, %v; want %d", len(got), err, len(all))
	}
	if want := []string{"", "1", "2"}; len(asked) != 3 || asked[1] != want[1] || asked[2] != want[2] {
		t.Fatalf("asked with tokens %q, want %q", asked, want)
	}
	first := "2"
	asked = nil
	got, _ = collect(listTokenPages(context.Background(), "things", tokenOf(&first), fetch, pagedID))
	if len(got) != 5 || asked[0] != "2" {
		t.Fatalf("from token 2: %d items, tokens %q", len(got), asked)
	}
}

// A token given back again, even on items without IDs, ends the walk with
// a *PageError rather than looping.
func TestListTokenPagesStopsOnATokenGivenTwice(t *testing.T) {
	for _, tc := range []struct{ name, first string }{{"a token of the walk", ""}, {"the caller's token", "a"}} {
		t.Run(tc.name, func(t *testing.T) {
			fetch := func(_ context.Context, token string) ([]string, string, error) {
				if token == "" {
					return []string{"x"}, "a", nil
				}
				return []string{"y"}, "a", nil
			}
			_, err := collect(listTokenPages(context.Background(), "lines", tc.first, fetch, noID[string]))
			var pe *PageError
			if !errors.As(err, &pe) || !pe.Token {
				t.Fatalf("err = %v, want a *PageError about the token", err)
			}
			if want := "gives back a continuation token already used"; !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %q, want it to say %q", err, want)
			}
		})
	}
}
