package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/stats"
)

// provider is one provider process in its debug mode and a client of it.
type provider struct {
	command *exec.Cmd
	client  *grpc.ClientConn
}

// Calls that need no configured provider: any provider answers them the same (schemas, validation, go-plugin's
// own streams). Every other call (ConfigureProvider first) goes to the provider of its connection.
var unconfigured = map[string]bool{
	"/tfplugin5.Provider/GetSchema":                       true,
	"/tfplugin5.Provider/GetMetadata":                     true,
	"/tfplugin5.Provider/GetFunctions":                    true,
	"/tfplugin5.Provider/GetResourceIdentitySchemas":      true,
	"/tfplugin5.Provider/PrepareProviderConfig":           true,
	"/tfplugin5.Provider/ValidateResourceTypeConfig":      true,
	"/tfplugin5.Provider/ValidateDataSourceConfig":        true,
	"/tfplugin5.Provider/ValidateEphemeralResourceConfig": true,
	"/tfplugin5.Provider/ValidateListResourceConfig":      true,
	"/plugin.GRPCStdio/StreamStdio":                       true,
	"/plugin.GRPCBroker/StartStream":                      true,
	"/grpc.health.v1.Health/Check":                        true,
}

// pool gives each connection Terraform configures a provider of its own, and takes it back when it closes.
// Terraform configures one client per provider configuration at a time (its validation and schema clients are
// never configured), so a plan with one configuration needs one process, with aws and aws.copy two.
type pool struct {
	binary string
	name   string   // the provider's source address, as its debug mode prints it
	first  reattach // what its debug mode printed, for the proxy's own reattach line

	mu     sync.Mutex
	idle   []*provider
	all    []*provider
	byConn map[uint64]*provider
}

func newPool(binary string) (*pool, error) {
	providers := &pool{binary: binary, byConn: map[uint64]*provider{}}
	started, err := providers.start()
	if err != nil {
		return nil, err
	}
	providers.idle = append(providers.idle, started)
	return providers, nil
}

// of is the provider a call goes to: for a call that needs none configured, the first one; otherwise the
// provider of its connection, taken from the idle ones (or started) on the connection's first such call.
func (p *pool) of(ctx context.Context, method string) (*grpc.ClientConn, error) {
	conn, _ := ctx.Value(connKey{}).(uint64)
	p.mu.Lock()
	defer p.mu.Unlock()
	if bound, ok := p.byConn[conn]; ok {
		return bound.client, nil
	}
	if unconfigured[method] {
		return p.all[0].client, nil
	}
	if len(p.idle) == 0 {
		started, err := p.start()
		if err != nil {
			return nil, err
		}
		p.idle = append(p.idle, started)
	}
	taken := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	p.byConn[conn] = taken
	return taken.client, nil
}

// release takes back the provider of a closed connection; the next connection configures it anew.
func (p *pool) release(conn uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if bound, ok := p.byConn[conn]; ok {
		delete(p.byConn, conn)
		p.idle = append(p.idle, bound)
	}
}

// start runs the provider in its debug mode and connects to where it listens.
func (p *pool) start() (*provider, error) {
	command := exec.Command(p.binary, "-debug")
	command.Stderr = os.Stderr
	command.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // gone with this program
	stdout, err := command.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := command.Start(); err != nil {
		return nil, err
	}
	name, config, err := readReattach(stdout)
	if err != nil {
		stop(command)
		return nil, fmt.Errorf("%s: %w", p.binary, err)
	}
	client, err := grpc.NewClient("unix://"+config.Addr.String, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(math.MaxInt32),
			grpc.MaxCallSendMsgSize(math.MaxInt32)))
	if err != nil {
		stop(command)
		return nil, err
	}
	if p.name == "" {
		p.name, p.first = name, config
	}
	started := &provider{command: command, client: client}
	p.all = append(p.all, started)
	return started, nil
}

func (p *pool) stopAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, started := range p.all {
		_ = started.client.Close()
		stop(started.command)
	}
}

// readReattach reads the provider's reattach line (its only one of the kind), then discards the rest.
func readReattach(stdout io.Reader) (string, reattach, error) {
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		match := reattachLine.FindStringSubmatch(lines.Text())
		if match == nil {
			continue
		}
		go io.Copy(io.Discard, stdout)
		var providers map[string]reattach
		if err := json.Unmarshal([]byte(match[1]), &providers); err != nil || len(providers) != 1 {
			return "", reattach{}, fmt.Errorf("an unreadable reattach configuration: %s", match[1])
		}
		for name, config := range providers {
			return name, config, nil
		}
	}
	return "", reattach{}, fmt.Errorf("no reattach configuration printed")
}

// stop asks a provider to end (its debug mode stops on SIGINT and removes its socket), then kills it.
func stop(command *exec.Cmd) {
	_ = command.Process.Signal(syscall.SIGINT)
	ended := make(chan struct{})
	go func() { _ = command.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		_ = command.Process.Kill()
		<-ended
	}
}

type connKey struct{}

// connections numbers the connections Terraform opens and gives a closed one's provider back to the pool.
type connections struct{ providers *pool }

var connectionCount atomic.Uint64

func (connections) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return context.WithValue(ctx, connKey{}, connectionCount.Add(1))
}

func (c connections) HandleConn(ctx context.Context, event stats.ConnStats) {
	if _, ended := event.(*stats.ConnEnd); ended {
		conn, _ := ctx.Value(connKey{}).(uint64)
		c.providers.release(conn)
	}
}

func (connections) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }
func (connections) HandleRPC(context.Context, stats.RPCStats)                       {}
