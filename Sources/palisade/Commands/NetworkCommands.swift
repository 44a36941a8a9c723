import ArgumentParser
import Foundation
import PalisadeNetwork
import PalisadeReport

/// Engine options shared by `trace` and `reach`.
struct EngineOptions: ParsableArguments {
    @Option(help: "Microsoft's ServiceTags_Public JSON; service tags become their real prefixes (default: symbolic tags).")
    var serviceTags: String?

    @Flag(help: "Read the VirtualNetwork tag narrowly (VNet, peers, on-premises, 168.63.129.16) instead of route-derived (docs/semantics.md#virtualnetwork-tag).")
    var narrowVirtualNetworkTag = false

    @Option(help: ArgumentHelp("How point-to-site VPN clients resolve names (docs/semantics.md#vpn-client-dns).",
                               valueName: "public-resolver|hosts-file|virtual-network-resolver"))
    var vpnClientDns: NetworkOptions.VPNClientDNS?

    @Flag(help: "Same as --vpn-client-dns hosts-file.")
    var vpnHostsFile = false

    @Option(help: ArgumentHelp("Which None system routes exist (docs/semantics.md#system-routes): documented (10/8, 172.16/12, 192.168/16, 100.64/10), observed (what effective-route listings show) or omitted.", valueName: "documented|observed|omitted"))
    var noneRoutes: NetworkOptions.NoneRoutes = .documented

    func compile(_ loaded: LoadedInput) throws -> NetworkModel {
        NetworkModel.compile(loaded.graph, options: try networkOptions())
    }

    /// The engine options these flags describe.
    func networkOptions() throws -> NetworkOptions {
        var options = NetworkOptions()
        if let serviceTags {
            do {
                options.serviceTags = try ServiceTagCatalog.load(path: serviceTags)
            } catch {
                throw InputError(description: "\(serviceTags): error: cannot read service tags: \(error)")
            }
        }
        if narrowVirtualNetworkTag { options.virtualNetworkTag = .narrow }
        options.vpnClientDNS = vpnHostsFile ? .hostsFile : vpnClientDns ?? .publicResolver
        options.noneRoutes = noneRoutes
        return options
    }
}

/// `--vpn-client-dns` values in kebab case.
extension NetworkOptions.VPNClientDNS: ExpressibleByArgument {
    public init?(argument: String) {
        // The kebab-case name, or the raw value that ArgumentParser prints as the default (`publicResolver`).
        let lowered = argument.lowercased()
        guard let value = Self.allCases.first(where: { $0.argumentName == lowered || $0.rawValue.lowercased() == lowered }) else { return nil }
        self = value
    }
    public static var allValueStrings: [String] { allCases.map(\.argumentName) }
    public static var allValueDescriptions: [String: String] {
        [
            "public-resolver": "(default) the client's own public resolver: private DNS zones are not visible, so private endpoint names resolve to public addresses",
            "hosts-file": "a hosts file with every private endpoint name (the lines `palisade hosts` prints)",
            "virtual-network-resolver": "the client's DNS forwards to a resolver in the gateway's VNet (a DNS private resolver inbound endpoint, a DNS-proxy firewall or a forwarder VM), so names resolve as they do there",
        ]
    }
    public var defaultValueDescription: String { argumentName }
    var argumentName: String {
        switch self {
        case .publicResolver: "public-resolver"
        case .hostsFile: "hosts-file"
        case .virtualNetworkResolver: "virtual-network-resolver"
        }
    }
}

/// `--none-routes` values.
extension NetworkOptions.NoneRoutes: ExpressibleByArgument {}

/// Protocols accepted by `trace --protocol`, in any case: one protocol, or `any` for a TCP/UDP/ICMP sweep.
enum ProtocolChoice: ExpressibleByArgument, Equatable {
    case one(IPProtocol)
    case any

    init?(argument: String) {
        if argument.lowercased() == "any" {
            self = .any
        } else if let proto = IPProtocol(text: argument) {
            self = .one(proto)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { IPProtocol.allCases.map { $0.rawValue.lowercased() } + ["any"] }
    var defaultValueDescription: String {
        switch self {
        case .one(let proto): proto.rawValue.lowercased()
        case .any: "any"
        }
    }
}

/// `palisade trace`: follow one packet hop by hop, in Network Watcher's vocabulary.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace", abstract: "Follow one packet from a source to a destination and explain the verdict.")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @Option(help: "Source: subnet (`vnet/subnet` when ambiguous), NIC/VM, compute, `internet`, `vpn-client`, or an IP.")
    var from: String

    @Option(help: "Destination: IP, DNS name, service tag or resource name.")
    var to: String

    @Option(help: "Destination port (0–65535).")
    var port = 443

    @Option(help: "Protocol: tcp, udp, icmp, esp, ah, or any (traces TCP, UDP and ICMP; allowed when one gets through).")
    var `protocol`: ProtocolChoice = .one(.tcp)

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port: use 0–65535.") }
    }

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let model = try engineOptions.compile(loaded)
        do {
            switch self.protocol {
            case .one(let proto):
                let trace = try model.trace(from: from, to: to, port: port, protocol: proto)
                try Output.write(format == .json ? try JSONOutput.render(trace) : trace.text, to: nil)
            case .any:
                let sweep = try model.traceEveryProtocol(from: from, to: to, port: port)
                try Output.write(format == .json ? try sweep.json() : sweep.text, to: nil)
            }
        } catch let error as NetworkQueryError {
            throw InputError(description: "error: \(error)")
        }
    }
}

/// `palisade reach`: the exact egress per source and the sources per private resource.
struct ReachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reach", abstract: "For every source, what it can reach; for every private resource, who can reach it.")

    @Argument(help: "A Palisade spec (.yaml), an ARM template or a resource export (.json); omit for the built-in default.")
    var input: String?

    @Option(help: "Only this source (subnet, `internet`, `vpn-client`, NIC/VM, compute or IP).")
    var from: String?

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Option(name: .outputNames, help: "Write to this file instead of standard output (`--out` is accepted too).")
    var output: String?

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var engineOptions: EngineOptions

    func run() throws {
        let loaded = try LoadedInput.load(input, options: inputOptions)
        let model = try engineOptions.compile(loaded)
        var source: TraceSource?
        if let from {
            do { source = try model.source(named: from) } catch { throw InputError(description: "error: \(error)") }
        }
        let report = model.reach(from: source)
        // Text folds raw prefixes back into resource, subnet, tag and host names, with a summary first.
        try Output.write(format == .json ? try report.json() : report.summary(FlowFolder(model: model)).text, to: output)
    }
}
