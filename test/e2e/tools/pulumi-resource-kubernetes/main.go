// pulumi-resource-kubernetes built from the provider's Go module (scripts/e2e-tools.sh). Upstream's entry
// point embeds JSON files that `go generate` writes and the module zip leaves out, so embed-json/ writes
// them next to this file before the build.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	// The signature of provider 4.25; later releases take a Helm mapping as a fifth argument.
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
