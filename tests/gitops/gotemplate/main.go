// Renders Go templates as Argo CD's ApplicationSet controller does with goTemplate: true and
// goTemplateOptions [missingkey=error]. Input on stdin: {"data": {...}, "templates": ["...", ...]}; output: the
// rendered strings as a JSON list, or the first error on stderr with exit code 1.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"text/template"
)

type request struct {
	Data      map[string]any `json:"data"`
	Templates []string       `json:"templates"`
}

func toJSON(value any) (string, error) {
	encoded, err := json.Marshal(value)
	return string(encoded), err
}

func main() {
	var input request
	if err := json.NewDecoder(os.Stdin).Decode(&input); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rendered := make([]string, 0, len(input.Templates))
	for _, text := range input.Templates {
		tmpl, err := template.New("t").Option("missingkey=error").Funcs(template.FuncMap{"toJson": toJSON}).Parse(text)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var out bytes.Buffer
		if err := tmpl.Execute(&out, input.Data); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		rendered = append(rendered, out.String())
	}
	json.NewEncoder(os.Stdout).Encode(rendered)
}
