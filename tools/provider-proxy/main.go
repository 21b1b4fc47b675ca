// Command provider-proxy serves a Terraform provider (protocol 5) to Terraform through TF_REATTACH_PROVIDERS and
// tells Terraform that the provider's schema may be cached: `provider-proxy <provider binary>`.
//
// Terraform asks a provider for its whole schema each time it opens a client of it, five times for one plan,
// unless the provider says that a cached copy will do (the get_provider_schema_optional server capability,
// which releases built with terraform-plugin-sdk 2.27 or later declare). The AWS provider 3.39 predates it, and
// its schema takes ~60 ms to build and as long to decode, each time. This program starts the provider in its
// debug mode, serves the same protocol on a socket of its own, passes every call and stream through unchanged
// as bytes, and only appends the capability to the GetProviderSchema response. It prints its reattach line as
// the provider's debug mode does, and on SIGINT or SIGTERM ends its providers and removes its socket.
//
// A provider process holds one configuration, and Terraform configures one client per provider configuration
// (an aliased aws.copy beside aws). So each connection Terraform configures gets a provider process of its own
// for as long as it is open (providers.go): the first one started, reused by the next once it is closed, a second
// one started only while two configured connections are open at once.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

const getProviderSchema = "/tfplugin5.Provider/GetSchema" // GetProviderSchema.Response

// GetProviderSchema.Response field 6 (server_capabilities), a ServerCapabilities whose field 2
// (get_provider_schema_optional) is true. A repeated embedded message merges into one, so appending it is enough.
var schemaOptional = []byte{6<<3 | 2, 2, 2<<3 | 0, 1}

var reattachLine = regexp.MustCompile(`TF_REATTACH_PROVIDERS='([^']+)'`)

type reattach struct {
	Protocol        string
	ProtocolVersion int
	Pid             int
	Test            bool
	Addr            struct{ Network, String string }
}

// frame is a message as it travels: bytes, never decoded.
type frame struct{ payload []byte }

type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return v.(*frame).payload, nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	v.(*frame).payload = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println("provider-proxy", grpcVersion())
		return
	}
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: provider-proxy <provider binary>")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "provider-proxy:", err)
		os.Exit(1)
	}
}

func run(binary string) error {
	providers, err := newPool(binary)
	if err != nil {
		return err
	}
	defer providers.stopAll()
	dir, err := os.MkdirTemp("", "tbyte-provider-proxy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	listener, err := net.Listen("unix", filepath.Join(dir, "plugin.sock"))
	if err != nil {
		return err
	}
	server := grpc.NewServer(grpc.ForceServerCodec(rawCodec{}), grpc.UnknownServiceHandler(forward(providers)),
		grpc.StatsHandler(connections{providers}), grpc.MaxRecvMsgSize(math.MaxInt32),
		grpc.MaxSendMsgSize(math.MaxInt32))

	served := providers.first
	served.Pid = os.Getpid()
	served.Addr.Network, served.Addr.String = "unix", listener.Addr().String()
	line, err := json.Marshal(map[string]reattach{providers.name: served})
	if err != nil {
		return err
	}
	fmt.Printf("TF_REATTACH_PROVIDERS='%s'\n", line)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-stop; server.Stop() }()
	return server.Serve(listener)
}

// forward passes one call of any method, unary or streaming, through to the connection's provider and back.
func forward(providers *pool) grpc.StreamHandler {
	return func(_ any, downstream grpc.ServerStream) error {
		method, _ := grpc.MethodFromServerStream(downstream)
		ctx, cancel := context.WithCancel(downstream.Context())
		defer cancel()
		upstream, err := providers.of(ctx, method)
		if err != nil {
			return err
		}
		incoming, _ := metadata.FromIncomingContext(ctx)
		stream, err := upstream.NewStream(metadata.NewOutgoingContext(ctx, incoming.Copy()),
			&grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method)
		if err != nil {
			return err
		}
		go func() {
			for {
				message := &frame{}
				if err := downstream.RecvMsg(message); err != nil {
					_ = stream.CloseSend()
					return
				}
				if err := stream.SendMsg(message); err != nil {
					return
				}
			}
		}()
		if header, err := stream.Header(); err == nil {
			_ = downstream.SendHeader(header)
		}
		for {
			message := &frame{}
			if err := stream.RecvMsg(message); err != nil {
				downstream.SetTrailer(stream.Trailer())
				if err == io.EOF {
					return nil
				}
				return err
			}
			if method == getProviderSchema {
				message.payload = append(message.payload, schemaOptional...)
			}
			if err := downstream.SendMsg(message); err != nil {
				return err
			}
		}
	}
}

// grpcVersion is the version of the gRPC library this program was built with, which its go.mod pins.
func grpcVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, module := range info.Deps {
			if module.Path == "google.golang.org/grpc" {
				return "google.golang.org/grpc " + module.Version
			}
		}
	}
	return "(unknown gRPC version)"
}
