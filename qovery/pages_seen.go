package qovery

import (
	"hash/maphash"

	"github.com/google/uuid"
)

// seenIDs is the rule every walk of a paginated list keeps (listPages,
// listNumberedPages, listTokenPages): within one walk every item ID appears
// once, so that a server ignoring the page asked for cannot loop the walk.
// IDs are kept as seeded 64-bit hashes: less memory than a map keyed by the
// IDs, and a false match is as likely as a random 64-bit collision.
type seenIDs struct {
	seed  maphash.Seed
	pages map[uint64]int32 // item ID -> page it was on
}

func newSeenIDs() *seenIDs {
	return &seenIDs{seed: maphash.MakeSeed(), pages: map[uint64]int32{}}
}

// checkPage records the IDs of items, on page, and returns the *PageError
// for the first one seen before (on an earlier page or earlier on this
// one). Items without an ID pass unchecked.
func checkPage[T any](s *seenIDs, list string, page int, items []T, idOf func(*T) *uuid.UUID) error {
	for i := range items {
		id := idOf(&items[i])
		if id == nil {
			continue
		}
		key := maphash.Bytes(s.seed, id[:])
		if first, dup := s.pages[key]; dup {
			return &PageError{List: list, Page: page, ItemID: id.String(), FirstPage: int(first)}
		}
		s.pages[key] = int32(page)
	}
	return nil
}

// noID is the idOf of items that have no ID.
func noID[T any](*T) *uuid.UUID { return nil }
