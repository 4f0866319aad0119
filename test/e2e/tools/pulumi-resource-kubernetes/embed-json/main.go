// embed-json writes the minified schema-embed.json (with "version" stamped) and terraform-mapping-embed.json
// that the provider's entry point embeds, from the schema.json and terraform-mapping.json in the module.
//
//	go run ./embed-json <module>/cmd/pulumi-resource-kubernetes <version>
package main

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"
)

func minify(in, out, version string) {
	b, err := os.ReadFile(in)
	if err != nil {
		log.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		log.Fatalf("%s: %v", in, err)
	}
	if version != "" {
		v["version"] = version
	}
	if b, err = json.Marshal(v); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: embed-json <provider cmd dir> <version>")
	}
	src, version := os.Args[1], os.Args[2]
	minify(filepath.Join(src, "schema.json"), "schema-embed.json", version)
	minify(filepath.Join(src, "terraform-mapping.json"), "terraform-mapping-embed.json", "")
}
