// Command graphviz lays a DOT graph out with Graphviz and writes it as SVG: `graphviz < in.dot > out.svg`.
//
// Graphviz itself comes from github.com/goccy/go-graphviz, which embeds it compiled to WebAssembly and runs it
// with wazero: no system Graphviz, no cgo. This file only reads standard input, picks the format (svg by
// default, -T dot for the laid-out DOT) and says which versions it was built from (--version).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime/debug"

	"github.com/goccy/go-graphviz"
)

const library = "github.com/goccy/go-graphviz"

func main() {
	format := flag.String("T", "svg", "output format: svg or dot")
	version := flag.Bool("version", false, "print the versions of go-graphviz and the Graphviz it embeds")
	flag.Parse()
	if *version {
		fmt.Printf("graphviz %s (%s; %s)\n", libraryVersion(), library, embedded())
		return
	}
	if *format != "svg" && *format != "dot" {
		fail(fmt.Errorf("-T %s: only svg and dot are written", *format))
	}
	source, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	ctx := context.Background()
	renderer, err := graphviz.New(ctx)
	if err != nil {
		fail(err)
	}
	defer renderer.Close()
	graph, err := graphviz.ParseBytes(source)
	if err != nil {
		fail(fmt.Errorf("the DOT input: %w", err))
	}
	defer graph.Close()
	if err := renderer.Render(ctx, graph, graphviz.Format(*format), os.Stdout); err != nil {
		fail(err)
	}
}

// embedded is the "graphviz version ..." that the embedded Graphviz writes into every SVG.
func embedded() string {
	ctx := context.Background()
	renderer, err := graphviz.New(ctx)
	if err != nil {
		fail(err)
	}
	defer renderer.Close()
	graph, err := graphviz.ParseBytes([]byte("digraph {}"))
	if err != nil {
		fail(err)
	}
	defer graph.Close()
	var svg bytes.Buffer
	if err := renderer.Render(ctx, graph, graphviz.SVG, &svg); err != nil {
		fail(err)
	}
	if found := regexp.MustCompile(`graphviz version [0-9.]+`).Find(svg.Bytes()); found != nil {
		return string(found)
	}
	return "graphviz version unknown"
}

func libraryVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, module := range info.Deps {
			if module.Path == library {
				return module.Version
			}
		}
	}
	return "unknown"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "graphviz:", err)
	os.Exit(1)
}
