// pulumi-language-nodejs (lite): a minimal Pulumi language host for Node.js,
// written for the offline e2e harness.
//
// Why: the upstream host lives in its own, untagged Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) that the
// reachable Go module proxy refuses (403), and every other distribution of it
// is a download from get.pulumi.com. The engine only needs a gRPC
// LanguageRuntime server, so this host implements the calls `pulumi preview`,
// `up`, `refresh` and `destroy` use and delegates the real work to the
// program's own copy of @pulumi/pulumi (node_modules/@pulumi/pulumi/cmd/run),
// exactly like the upstream host does.
//
// RunPlugin runs policy packs (kind "analyzer") the way the upstream host does:
// `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <pack>`,
// streaming the pack's stdout (whose first line is its port) and stderr back
// to the engine.
//
// Not implemented (engine gets Unimplemented): code generation, templates,
// Pack/Link, and RunPlugin for kinds other than analyzer.
//
// Protocol used (see sdk/v3 proto/go/language_grpc.pb.go):
//   - launched as `pulumi-language-nodejs [engine flags...] <engine-address>`;
//   - must print the port it listens on as the first line of stdout;
//   - Run spawns `node <run-script> --monitor ... --engine ... <program>` with
//     the stack config in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"io"
	"strconv"
	"strings"
	"sync"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is stamped with -ldflags "-X main.version=...".
var version = "0.0.0-dev"

// Exit code @pulumi/pulumi uses after it has already reported an error to
// the engine: the engine should not print a second, generic error.
const bailExitCode = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
	tracing       string
}

func main() {
	h := &host{}
	// The engine may prepend its own flags (-v=N, --logtostderr, --logflow,
	// --tracing URL); the engine address is always the last positional arg.
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--tracing" || a == "-tracing":
			if i+1 < len(args) {
				h.tracing = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--tracing=") || strings.HasPrefix(a, "-tracing="):
			h.tracing = a[strings.Index(a, "=")+1:]
		case strings.HasPrefix(a, "-"):
			// ignore logging flags
		default:
			h.engineAddress = a
		}
	}
	if h.engineAddress == "" {
		fmt.Fprintln(os.Stderr, "usage: pulumi-language-nodejs [flags] <engine-address>")
		os.Exit(1)
	}

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "fatal: could not start language host: %v\n", err)
		os.Exit(1)
	}
	// First stdout line = port: the engine's plugin launcher reads it.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "fatal: language host stopped: %v\n", err)
		os.Exit(1)
	}
}

func (h *host) Handshake(ctx context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// pulumiPackage is the "pulumi" block of a provider SDK's package.json, e.g.
// {"resource": true, "name": "kubernetes", "version": "4.34.2"}.
type pulumiPackage struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

type packageJSON struct {
	Name    string         `json:"name"`
	Version string         `json:"version"`
	Pulumi  *pulumiPackage `json:"pulumi"`
}

// nodeModulesDirs returns dir/node_modules for dir and each of its parents
// (Node's own resolution order).
func nodeModulesDirs(dir string) []string {
	var out []string
	for {
		nm := filepath.Join(dir, "node_modules")
		if st, err := os.Stat(nm); err == nil && st.IsDir() {
			out = append(out, nm)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

// scanPackages lists installed packages (top level and @scope/*) of every
// node_modules dir visible from dir. Nested node_modules are not walked: for
// provider SDKs the top-level copies are the ones a program imports.
func scanPackages(dir string) []packageJSON {
	var pkgs []packageJSON
	seen := map[string]bool{}
	read := func(p string) {
		b, err := os.ReadFile(filepath.Join(p, "package.json"))
		if err != nil {
			return
		}
		var pj packageJSON
		if json.Unmarshal(b, &pj) == nil && pj.Name != "" && !seen[pj.Name] {
			seen[pj.Name] = true
			pkgs = append(pkgs, pj)
		}
	}
	for _, nm := range nodeModulesDirs(dir) {
		entries, _ := os.ReadDir(nm)
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			if strings.HasPrefix(name, "@") {
				scoped, _ := os.ReadDir(filepath.Join(nm, name))
				for _, s := range scoped {
					read(filepath.Join(nm, name, s.Name()))
				}
				continue
			}
			read(filepath.Join(nm, name))
		}
	}
	return pkgs
}

func programDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	return fallback
}

// GetRequiredPackages reports the resource plugins the program's provider SDKs
// ask for, so the engine can check (or install) them before running.
func (h *host) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	var deps []*pulumirpc.PackageDependency
	for _, p := range scanPackages(programDir(req.GetInfo(), ".")) {
		if p.Pulumi == nil || !p.Pulumi.Resource {
			continue
		}
		name := p.Pulumi.Name
		if name == "" {
			name = strings.TrimPrefix(p.Name, "@pulumi/")
		}
		ver := p.Pulumi.Version
		if ver == "" {
			ver = p.Version
		}
		if ver != "" && !strings.HasPrefix(ver, "v") {
			ver = "v" + ver
		}
		deps = append(deps, &pulumirpc.PackageDependency{
			Kind: "resource", Name: name, Version: ver, Server: p.Pulumi.Server,
		})
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: deps}, nil
}

// GetRequiredPlugins is the pre-"packages" form of the same question; older
// engines call it.
func (h *host) GetRequiredPlugins(ctx context.Context,
	req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	resp, err := h.GetRequiredPackages(ctx, &pulumirpc.GetRequiredPackagesRequest{Info: req.GetInfo()})
	if err != nil {
		return nil, err
	}
	var plugins []*pulumirpc.PluginDependency
	for _, p := range resp.Packages {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Kind: p.Kind, Name: p.Name, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// findPulumiCommand locates <node_modules>/@pulumi/pulumi/cmd/<command> above
// dir, as Node's module resolution would: "run" for programs, "run-policy-pack"
// for policy packs (which then use the pack's own @pulumi/pulumi).
func findPulumiCommand(dir, command string) (string, error) {
	for _, nm := range nodeModulesDirs(dir) {
		p := filepath.Join(nm, "@pulumi", "pulumi", "cmd", command)
		if _, err := os.Stat(filepath.Join(p, "index.js")); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("could not find @pulumi/pulumi in node_modules above %s; run `npm install` there", dir)
}

func optString(opts *structpb.Struct, key string) (string, bool) {
	if opts == nil {
		return "", false
	}
	v, ok := opts.GetFields()[key]
	if !ok {
		return "", false
	}
	switch k := v.GetKind().(type) {
	case *structpb.Value_StringValue:
		return k.StringValue, true
	case *structpb.Value_BoolValue:
		return strconv.FormatBool(k.BoolValue), true
	case *structpb.Value_NumberValue:
		return strconv.FormatFloat(k.NumberValue, 'f', -1, 64), true
	}
	return "", false
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	progDir := programDir(info, req.GetPwd())
	runScript, err := findPulumiCommand(progDir, "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node not found on PATH: " + err.Error()}, nil
	}

	// Entry point: "." lets @pulumi/pulumi read package.json main/exports.
	entry := "."
	if info != nil && info.GetEntryPoint() != "" {
		entry = info.GetEntryPoint()
	}
	program := entry
	if entry != "." && !filepath.IsAbs(entry) {
		program = filepath.Join(progDir, entry)
	} else if entry == "." {
		program = progDir
		if rel, err := filepath.Rel(req.GetPwd(), progDir); err == nil {
			program = rel
		}
		if program == "" || program == "." {
			program = "."
		}
	}

	var args []string
	if nodeargs, ok := optString(info.GetOptions(), "nodeargs"); ok && nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runScript,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+h.engineAddress,
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+req.GetPwd(),
	)
	if req.GetOrganization() != "" {
		args = append(args, "--organization="+req.GetOrganization())
	}
	if info.GetRootDirectory() != "" {
		args = append(args, "--root-directory="+info.GetRootDirectory())
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	if h.tracing != "" {
		args = append(args, "--tracing="+h.tracing)
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
	)
	// TypeScript via ts-node is on unless Pulumi.yaml says `typescript: false`.
	ts := "true"
	if v, ok := optString(info.GetOptions(), "typescript"); ok {
		ts = v
	}
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+ts)
	if v, ok := optString(info.GetOptions(), "tsconfig"); ok && v != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	// The engine captures our stdout/stderr (after the port line) and shows
	// them as program output.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == bailExitCode {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// InstallDependencies: the harness runs `npm ci` itself; nothing to do.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, _ := exec.LookPath("node")
	var ver string
	if node != "" {
		if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
			ver = strings.TrimSpace(string(out))
		}
	}
	return &pulumirpc.AboutResponse{
		Executable: node, Version: ver,
		Metadata: map[string]string{"host": "pulumi-language-nodejs-lite " + version},
	}, nil
}

func (h *host) GetProgramDependencies(ctx context.Context,
	req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	var deps []*pulumirpc.DependencyInfo
	for _, p := range scanPackages(programDir(req.GetInfo(), req.GetPwd())) {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// RunPlugin starts a Node.js policy pack. The engine passes its own address in
// Args and the pack directory in Info; the pack prints its port on stdout.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest,
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetKind() != "analyzer" {
		return fmt.Errorf("pulumi-language-nodejs-lite runs only policy packs (analyzer plugins), not %q", req.GetKind())
	}
	packDir := programDir(req.GetInfo(), req.GetPwd())
	script, err := findPulumiCommand(packDir, "run-policy-pack")
	if err != nil {
		return err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("node not found on PATH: %w", err)
	}

	args := append([]string{script}, req.GetArgs()...)
	args = append(args, packDir)
	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = packDir
	cmd.Env = os.Environ()
	if len(req.GetEnv()) > 0 {
		cmd.Env = append(cmd.Env, req.GetEnv()...)
	}

	// gRPC streams are not safe for concurrent Send: one lock for both pipes.
	var mu sync.Mutex
	send := func(resp *pulumirpc.RunPluginResponse) error {
		mu.Lock()
		defer mu.Unlock()
		return server.Send(resp)
	}
	forward := func(r io.Reader, wrap func([]byte) *pulumirpc.RunPluginResponse, done *sync.WaitGroup) {
		defer done.Done()
		buf := make([]byte, 32*1024)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				chunk := append([]byte(nil), buf[:n]...)
				if sendErr := send(wrap(chunk)); sendErr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	var pipes sync.WaitGroup
	pipes.Add(2)
	go forward(stdout, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}, &pipes)
	go forward(stderr, func(b []byte) *pulumirpc.RunPluginResponse {
		return &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	}, &pipes)
	pipes.Wait()

	code := 0
	if err := cmd.Wait(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = exitErr.ExitCode()
	}
	return send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)}})
}

