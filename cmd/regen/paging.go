package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"strings"
)

// Lists are paged three ways in the specs vendors publish: by the ID of the
// last item seen (startId, ours; see listPages), by page number (page,
// with page_size or not), and by a continuation token that each page
// gives for the next. A list method whose options have a Page field, or a
// continuation token field answered by a next token, gets an Iter like a
// startId list, walking its pages with listNumberedPages or
// listTokenPages.

// paging is how a list not paged by startId is walked.
type paging struct {
	kind      string // "page" or "token"
	field     string // the options' field naming the page: Page, ContinueToken, ...
	fieldType string // its type, as package qovery writes it
	next      string // token: the answer's field holding the next token
	nextType  string // its type
	askedSize string // page: the page size asked for, with "p" the options; "" when it cannot be
}

// tokenFields are the names that options give a continuation token, and
// nextTokenFields those that answers give the next one, as oapi-codegen
// spells them.
var (
	tokenFields     = []string{"ContinueToken", "ContinuationToken", "PageToken", "NextToken", "Cursor"}
	nextTokenFields = []string{"ContinueToken", "NextContinueToken", "ContinuationToken", "NextContinuationToken", "NextToken", "NextPageToken", "NextCursor", "Cursor"}
)

// describePaging fills in m.paging when m answers a list whose options
// page it by number or by token, and marks it paged.
func describePaging(g *genAPI, namer *typeNamer, m *svcMethod) {
	if m.paged || m.item == "" {
		return
	}
	opts := optionsStruct(g, m)
	if opts == nil {
		return
	}
	if f := field(opts, "Page"); f != nil {
		m.paging = &paging{kind: "page", field: "Page", fieldType: namer.expr(f.Type)}
		if size := field(opts, "PageSize"); size != nil {
			m.paging.askedSize = "pageSize(&p.PageSize)"
			if _, ptr := size.Type.(*ast.StarExpr); ptr {
				m.paging.askedSize = "pageSize(p.PageSize)"
			}
		}
		m.paged = true
		return
	}
	answer := g.structOf(strings.TrimPrefix(m.result, "gen."))
	for _, name := range tokenFields {
		f := field(opts, name)
		if f == nil {
			continue
		}
		for _, nextName := range nextTokenFields {
			if next := field(answer, nextName); next != nil {
				m.paging = &paging{kind: "token", field: name, fieldType: namer.expr(f.Type), next: nextName, nextType: namer.expr(next.Type)}
				m.paged = true
				return
			}
		}
	}
}

// optionsStruct is the struct of m's options (gen's <Op>Params), or nil.
func optionsStruct(g *genAPI, m *svcMethod) *ast.StructType {
	for _, a := range m.args {
		if a.name == "opts" {
			return g.structOf(strings.TrimPrefix(strings.TrimPrefix(a.typ, "*"), "gen."))
		}
	}
	return nil
}

// emitPager writes the Iter of a paged list m, of its kind.
func emitPager(b *bytes.Buffer, m *svcMethod) {
	if m.paging == nil {
		emitIter(b, m)
		return
	}
	call := emitIterHead(b, m)
	p := m.paging
	if p.kind == "page" {
		emitNumberedWalk(b, m)
	} else {
		emitTokenWalk(b, m)
	}
	fmt.Fprintf(b, "\t\tr := %s\n", m.requestExpr(call, "&p"))
	writeLines(b, "\t\t", m.queryLines("p", false))
	fmt.Fprintf(b, "\t\tl, err := fetch[%s](ctx, c.c, &operation%s, r, options)\n\t\tif err != nil {\n\t\t\treturn nil, %s, err\n\t\t}\n", m.result, m.goName, p.zero())
	results := "l.Results"
	if m.resultPtr {
		fmt.Fprintf(b, "\t\tif l.Results == nil {\n\t\t\treturn nil, %s, nil\n\t\t}\n", p.zero())
		results = "*l.Results"
	}
	fmt.Fprintf(b, "\t\treturn %s, %s, nil\n", results, p.carry(m))
	fmt.Fprintf(b, "\t}, %s)\n}\n", idOf(m))
}

// emitNumberedWalk opens the walk of a list paged by number: the page
// asked for in p, its options.
func emitNumberedWalk(b *bytes.Buffer, m *svcMethod) {
	p := m.paging
	ref, elem := "&first."+p.field, p.fieldType
	if strings.HasPrefix(elem, "*") {
		ref, elem = "first."+p.field, elem[1:]
	}
	fmt.Fprintf(b, "\treturn listNumberedPages(ctx, %s, firstPage(%s), func(ctx context.Context, page int) ([]%s, int, error) {\n", m.listName(m.Method+"Iter"), ref, m.item)
	b.WriteString("\t\tp := first\n")
	if strings.HasPrefix(p.fieldType, "*") {
		fmt.Fprintf(b, "\t\tn := %s(page)\n\t\tp.%s = &n\n", elem, p.field)
	} else {
		fmt.Fprintf(b, "\t\tp.%s = %s(page)\n", p.field, elem)
	}
}

// emitTokenWalk opens the walk of a list paged by continuation token: the
// token, when there is one, in p, its options.
func emitTokenWalk(b *bytes.Buffer, m *svcMethod) {
	p := m.paging
	first := "first." + p.field
	if !strings.HasPrefix(p.fieldType, "*") {
		first = "&" + first
	}
	fmt.Fprintf(b, "\treturn listTokenPages(ctx, %s, tokenOf(%s), func(ctx context.Context, token string) ([]%s, string, error) {\n", m.listName(m.Method+"Iter"), first, m.item)
	b.WriteString("\t\tp := first\n")
	if strings.HasPrefix(p.fieldType, "*") {
		fmt.Fprintf(b, "\t\tp.%s = nil\n\t\tif token != \"\" {\n\t\t\tp.%s = &token\n\t\t}\n", p.field, p.field)
	} else {
		fmt.Fprintf(b, "\t\tp.%s = token\n", p.field)
	}
}

// zero is what a page function returns with an error besides no items.
func (p *paging) zero() string {
	if p.kind == "page" {
		return "0"
	}
	return `""`
}

// carry is what a page function returns besides its items: the page size,
// for a list paged by number (the answer's, or else the one asked for), or
// the next token.
func (p *paging) carry(m *svcMethod) string {
	if p.kind == "token" {
		if strings.HasPrefix(p.nextType, "*") {
			return "tokenOf(l." + p.next + ")"
		}
		return "l." + p.next
	}
	if m.pageSize == "0" && p.askedSize != "" {
		return p.askedSize
	}
	return m.pageSize
}

// idOf is the function giving an item's ID, for the walk's rule that no ID
// comes twice; items without one are walked unchecked.
func idOf(m *svcMethod) string {
	if m.itemID == "" {
		return "noID[" + m.item + "]"
	}
	return fmt.Sprintf("func(v *%s) *uuid.UUID { return %s }", m.item, m.itemID)
}
