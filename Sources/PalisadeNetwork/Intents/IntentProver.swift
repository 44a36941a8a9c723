import Foundation
import PalisadeModel

/// The outcome of proving one intent over the compiled model.
public struct IntentResult: Sendable, Hashable, Codable {
    /// Proven, violated, or not provable because an endpoint names nothing in the model.
    public enum Status: String, Sendable, Hashable, Codable {
        case proven, violated, unresolved
    }
    /// The intent.
    public var intent: IntentDeclaration
    /// The verdict.
    public var status: Status
    /// The resource a finding is about: the source that breaks the intent (or the protected resource).
    public var subject: ResourceID?
    /// What was shown, in one sentence.
    public var message: String
    /// Witness traces (proven must-reach) or counterexample traces (violations), at most a few.
    public var traces: [Trace]
    /// The concrete counterexample packet of a violated "may reach only" / "only … reach" / internet intent.
    public var counterexample: String?
}

/// One resolved source of an intent.
struct IntentSource: Hashable {
    var label: String
    var source: TraceSource
    var subject: ResourceID?
}

/// Proves intents with the symbolic engine (`reach`) and concrete traces (`trace`): must-reach by tracing every
/// obligation and naming the hop that drops it; may-reach-only by subtracting the permitted packet set from the
/// source's exact egress and tracing one packet of what is left.
final class IntentProver {
    let model: NetworkModel
    private var reachCache: [TraceSource: SourceReach] = [:]

    init(model: NetworkModel) { self.model = model }

    func reach(_ source: TraceSource) -> SourceReach? {
        if let cached = reachCache[source] { return cached }
        let result = model.reach(from: source).sources.first
        reachCache[source] = result
        return result
    }

    // MARK: - Endpoints

    /// Every source an endpoint expression names; throws a readable message when it names nothing.
    func sources(_ text: String) throws(IntentResolutionError) -> [IntentSource] {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        switch lower {
        case "internet":
            return [IntentSource(label: "internet", source: .internet, subject: nil)]
        case "vpn clients", "vpn client", "vpn-client":
            return model.vpnClientPools.isEmpty ? [] : [IntentSource(label: "vpn clients", source: .vpnClient,
                                                                     subject: model.graph.all(VirtualNetworkGateway.self).first?.id)]
        case "all computes":
            var seen: Set<TraceSource> = []
            var result: [IntentSource] = []
            for compute in model.graph.all(MachineLearningCompute.self).sorted(by: { $0.id < $1.id }) {
                let source: TraceSource = compute.subnet.map { .subnet($0) } ?? .managedNetwork(compute.workspace)
                guard model.graph.resource(compute.workspace, as: MachineLearningWorkspace.self) != nil || compute.subnet != nil,
                      seen.insert(source).inserted else { continue }
                let label = compute.subnet.map { model.subnets[$0]?.displayName ?? $0.name } ?? "managed network of \(compute.workspace.name)"
                result.append(IntentSource(label: label, source: source, subject: compute.subnet ?? compute.workspace))
            }
            return result
        case "all jumpboxes":
            return jumpboxEndpoints().map {
                IntentSource(label: $0.virtualMachine?.name ?? $0.resource.name, source: .address($0.address), subject: $0.virtualMachine ?? $0.resource)
            }
        case "all private endpoints":
            return model.endpoints.values.filter { $0.kind == .privateEndpoint }.sorted { $0.address < $1.address }.map {
                IntentSource(label: $0.displayName, source: .address($0.address), subject: $0.resource)
            }
        default:
            break
        }
        if text.hasPrefix("/"), let subnet = model.subnets[ResourceID(text)] {
            return [IntentSource(label: subnet.displayName, source: .subnet(subnet.id), subject: subnet.id)]
        }
        if let prefix = IPv4Prefix(text), prefix.length < 32 {
            let subnets = model.subnetOrder.compactMap { model.subnets[$0] }.filter { $0.prefixes.contains { prefix.contains($0.network) } }
            guard !subnets.isEmpty else { throw .unknown(text, "no subnet lies in \(text)") }
            return subnets.map { IntentSource(label: $0.displayName, source: .subnet($0.id), subject: $0.id) }
        }
        do {
            let source = try model.source(named: text)
            let subject: ResourceID? = switch source {
            case .subnet(let id): id
            case .managedNetwork(let id): id
            case .address(let ip): model.endpoints[ip].map { $0.virtualMachine ?? $0.resource }
            default: nil
            }
            return [IntentSource(label: text, source: source, subject: subject)]
        } catch {
            throw .unknown(text, error.description)
        }
    }

    /// Virtual machines that are not network appliances (no IP forwarding): jump boxes and workstations.
    func jumpboxEndpoints() -> [Endpoint] {
        model.endpoints.values.filter { $0.kind == .networkInterface && $0.virtualMachine != nil && !$0.ipForwarding }
            .sorted { $0.address < $1.address }
    }

    /// The private address space of the estate: every VNet prefix and the VPN client pools, plus Azure's platform
    /// addresses every VM uses without leaving the host: 168.63.129.16 (DNS, health probes,
    /// https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16) and 169.254.169.254 (the
    /// instance metadata service, https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service).
    var estateAddresses: AddressSet {
        var prefixes: [IPv4Prefix] = model.vpnClientPools + [IPv4Prefix("168.63.129.16/32")!, IPv4Prefix("169.254.169.254/32")!]
        for vnet in model.graph.all(VirtualNetwork.self) { prefixes += vnet.addressSpace }
        for subnet in model.subnets.values { prefixes += subnet.prefixes }
        return AddressSet.prefixes(prefixes)
    }

    /// A concrete name for a host pattern (`*.anaconda.org` → `x.anaconda.org`).
    static func representative(_ host: String) -> String { host.replacingOccurrences(of: "*", with: "x") }

    static func isHostName(_ text: String) -> Bool {
        text.contains(".") && IPv4Address(text) == nil && IPv4Prefix(text) == nil && !text.contains(" ") && !text.hasPrefix("/")
    }

    /// Trace destinations for a must-reach target, as seen from `source`.
    func destinations(_ text: String, from source: TraceSource) throws(IntentResolutionError) -> [(String, TraceDestination)] {
        let lower = text.lowercased()
        switch lower {
        case "all private endpoints":
            return model.endpoints.values.filter { $0.kind == .privateEndpoint }.sorted { $0.address < $1.address }
                .map { ($0.displayName, .address($0.address)) }
        case "all jumpboxes":
            return jumpboxEndpoints().map { ($0.virtualMachine?.name ?? $0.resource.name, .address($0.address)) }
        default: break
        }
        if let prefix = IPv4Prefix(text), prefix.length < 32 {
            return [(text, .address(IPv4Address(prefix.network.value &+ (prefix.length < 31 ? 4 : 0))))]
        }
        if text.contains("*") { return [(text, .name(Self.representative(text)))] }
        do {
            return [(text, try model.destination(named: text, from: source))]
        } catch {
            throw .unknown(text, error.description)
        }
    }

    /// The packets a target stands for (IP level) and the host patterns it grants (name level).
    func permitted(_ target: IntentTarget, from source: TraceSource) throws(IntentResolutionError) -> (PacketSet, [FQDNPattern]) {
        let protocols = Self.protocols(target.protocol)
        let ports = target.ports.isEmpty ? IntervalSet.allPorts
            : target.ports.reduce(IntervalSet.empty) { $0.union(IntervalSet(UInt32($1.lower), UInt32($1.upper))) }
        func cube(_ addresses: AddressSet) -> PacketSet {
            PacketSet(PacketCube(destination: addresses, protocols: protocols, destinationPorts: ports))
        }
        let text = target.endpoint
        let lower = text.lowercased()
        switch lower {
        case "virtualnetwork", "the estate", "private addresses":
            return (cube(estateAddresses), [])
        case "internet", "anywhere", "*":
            return (cube(.all), [FQDNPattern("*")])
        case "all private endpoints":
            let set = model.endpoints.values.filter { $0.kind == .privateEndpoint }.reduce(AddressSet.empty) { $0.union(.address($1.address)) }
            return (cube(set), [])
        case "all jumpboxes":
            return (cube(jumpboxEndpoints().reduce(AddressSet.empty) { $0.union(.address($1.address)) }), [])
        case "all bastion hosts", "all vpn gateways":
            let kind: EndpointKind = lower == "all bastion hosts" ? .bastionHost : .virtualNetworkGateway
            var set = AddressSet.empty
            for (address, front) in model.publicFronts where front.kind == kind { set = set.union(.address(address)) }
            for endpoint in model.endpoints.values where endpoint.kind == kind { set = set.union(.address(endpoint.address)) }
            return (cube(set), [])
        default: break
        }
        if let prefix = IPv4Prefix(text) { return (cube(.prefixes([prefix])), []) }
        if let ip = IPv4Address(text) { return (cube(.address(ip)), []) }
        if text.contains("*") { return (.empty, [FQDNPattern(text)]) }
        let destination: TraceDestination
        do { destination = try model.destination(named: text, from: source) } catch { throw .unknown(text, error.description) }
        switch destination {
        case .address(let ip):
            return (cube(.address(ip)), [])
        case .serviceTag(let tag):
            return (cube(model.tags.resolve(tag)), [])
        case .name(let name):
            var set = AddressSet.atom(.host(name))
            let answer = model.resolve(name, from: dnsView(source))
            for address in answer.addresses {
                switch address {
                case .ip(let ip): set = set.union(.address(ip))
                case .atom(let atom): set = set.union(.atom(atom))
                }
            }
            return (cube(set), [FQDNPattern(name)])
        }
    }

    func dnsView(_ source: TraceSource) -> DNSView {
        switch source {
        case .subnet(let id): model.subnets[id].map { .virtualNetwork($0.virtualNetwork) } ?? .internet
        case .address(let ip): model.subnet(containing: ip).map { .virtualNetwork($0.virtualNetwork) } ?? .internet
        case .vpnClient: .vpnClient
        case .internet, .managedNetwork: .internet
        }
    }

    static func protocols(_ text: String) -> ProtocolSet {
        switch text.lowercased() {
        case "tcp": ProtocolSet([.tcp])
        case "udp": ProtocolSet([.udp])
        case "icmp": ProtocolSet([.icmp])
        default: .all
        }
    }

    // MARK: - Proofs

    func prove(_ intent: IntentDeclaration) -> [IntentResult] {
        do {
            switch intent.form {
            case .mustReach: return try proveMustReach(intent)
            case .mayReachOnly: return try proveMayReachOnly(intent, sources: intent.sources)
            case .nothingFromInternetReaches: return try proveNothingFromInternet(intent)
            case .onlyReach: return try proveOnlyReach(intent)
            }
        } catch {
            return [IntentResult(intent: intent, status: .unresolved, subject: nil, message: error.description, traces: [], counterexample: nil)]
        }
    }

    private func allSources(_ texts: [String]) throws(IntentResolutionError) -> [IntentSource] {
        var result: [IntentSource] = []
        for text in texts { result += try sources(text) }
        return result
    }

    private func proveMustReach(_ intent: IntentDeclaration) throws(IntentResolutionError) -> [IntentResult] {
        var results: [IntentResult] = []
        for source in try allSources(intent.sources) {
            var failures: [(String, Trace)] = []
            var witnesses: [Trace] = []
            for target in intent.destinations {
                let proto: IPProtocol = target.protocol.lowercased() == "udp" ? .udp : target.protocol.lowercased() == "icmp" ? .icmp : .tcp
                let ports = target.ports.isEmpty ? [443] : target.ports.map(\.lower)
                for (label, destination) in try destinations(target.endpoint, from: source.source) {
                    for port in ports {
                        let trace = model.trace(from: source.source, to: destination, port: port, protocol: proto)
                        if trace.verdict == .allowed {
                            if witnesses.count < 3 { witnesses.append(trace) }
                        } else {
                            failures.append(("\(label) \(proto.rawValue.lowercased())/\(port)", trace))
                        }
                    }
                }
            }
            if failures.isEmpty {
                results.append(IntentResult(intent: intent, status: .proven, subject: source.subject,
                                            message: "\(source.label) reaches every destination", traces: witnesses, counterexample: nil))
            } else {
                let first = failures[0].1
                let hop = first.hops.last.map { hop in
                    "\(hop.kind) \(hop.resource)\(hop.rule.map { " [\($0)]" } ?? "")"
                } ?? "the source"
                let list = failures.prefix(6).map(\.0).joined(separator: ", ") + (failures.count > 6 ? " and \(failures.count - 6) more" : "")
                results.append(IntentResult(
                    intent: intent, status: .violated, subject: source.subject,
                    message: "\(source.label) cannot reach \(list); the first is dropped at \(hop): \(first.reason)",
                    traces: failures.prefix(3).map(\.1), counterexample: nil))
            }
        }
        return results
    }

    /// A concrete packet of a non-empty set, preferring TCP, port 443 and a public address.
    func samplePacket(_ set: PacketSet) -> Packet? {
        guard let cube = set.cubes.first(where: { !$0.destination.ips.isEmpty || !$0.destination.atoms.isEmpty }) else { return nil }
        let proto = cube.protocols.contains(.tcp) ? IPProtocol.tcp : cube.protocols.members.first ?? .tcp
        let port = [443, 80, 22, 3389].first { cube.destinationPorts.contains(UInt32($0)) } ?? Int(cube.destinationPorts.first ?? 443)
        let destination: Address
        if let interval = cube.destination.ips.intervals.first {
            let preferred = [IPv4Address(1, 1, 1, 1).value, IPv4Address(8, 8, 8, 8).value]
            let pick = preferred.first { cube.destination.ips.contains($0) }
                ?? (interval.lower == 0 && interval.upper > 0 ? 1 : interval.lower)
            destination = .ip(IPv4Address(pick))
        } else if case .only(let atoms) = cube.destination.atoms, let atom = atoms.sorted().first {
            destination = .atom(atom)
        } else {
            destination = .atom(.host("example.com"))
        }
        // A host address of the source range (the first usable one of a subnet rather than its network address).
        let source: Address = cube.source.ips.first.map { first in
            let usable = first &+ 4
            return .ip(IPv4Address(cube.source.ips.contains(usable) ? usable : first))
        } ?? .ip(IPv4Address(0))
        return Packet(source: source, destination: destination, protocol: proto, destinationPort: port)
    }

    private func proveMayReachOnly(_ intent: IntentDeclaration, sources texts: [String]) throws(IntentResolutionError) -> [IntentResult] {
        var results: [IntentResult] = []
        for source in try allSources(texts) {
            guard let egress = reach(source.source) else { continue }
            var allowedSet = PacketSet.empty
            var patterns: [FQDNPattern] = []
            for target in intent.destinations {
                let (set, names) = try permitted(target, from: source.source)
                allowedSet = allowedSet.union(set)
                patterns += names
            }
            var extra = egress.allowed.subtracting(allowedSet)
            // Symbolic host atoms the permitted name patterns cover are permitted too.
            extra = PacketSet(cubes: extra.cubes.filter { cube in
                guard cube.destination.ips.isEmpty, case .only(let atoms) = cube.destination.atoms else { return true }
                return !atoms.allSatisfy { atom in atom.kind == .host && patterns.contains { $0.matches(atom.name) } }
            })
            if let packet = samplePacket(extra) {
                let trace = model.trace(packet: packet, from: source.source)
                let text = "\(packet.protocol.rawValue.lowercased()) \(packet.source) → \(packet.destination):\(packet.destinationPort)"
                results.append(IntentResult(
                    intent: intent, status: .violated, subject: source.subject,
                    message: "\(source.label) can send packets outside the permitted set, for example \(text)",
                    traces: [trace], counterexample: text))
                continue
            }
            let unpermitted = egress.fqdnGrants.filter { grant in !patterns.contains { grant.pattern.isCovered(by: $0) } }
            if let grant = unpermitted.first {
                let host = Self.representative(grant.pattern.text)
                let trace = model.trace(from: source.source, to: .name(host), port: 443, protocol: .tcp)
                results.append(IntentResult(
                    intent: intent, status: .violated, subject: source.subject,
                    message: "\(source.label) may reach host names outside the permitted set: \(unpermitted.prefix(5).map(\.pattern.text).joined(separator: ", ")) (through \(grant.rule)), for example https://\(host)",
                    traces: [trace], counterexample: "tcp → \(host):443"))
                continue
            }
            results.append(IntentResult(intent: intent, status: .proven, subject: source.subject,
                                        message: "every packet \(source.label) can deliver lies in the permitted set", traces: [], counterexample: nil))
        }
        return results
    }

    private func protectedSet(_ targets: [IntentTarget], from source: TraceSource) throws(IntentResolutionError) -> PacketSet {
        var set = PacketSet.empty
        for target in targets {
            var (packets, _) = try permitted(target, from: source)
            // A private resource is also reached through the public front (NIC public IP, DNAT) that leads to it.
            for (address, front) in model.publicFronts {
                guard let inner = front.privateAddress,
                      packets.cubes.contains(where: { $0.destination.ips.contains(inner.value) }) else { continue }
                packets = packets.union(PacketSet(PacketCube(destination: .address(address))))
            }
            set = set.union(packets)
        }
        return set
    }

    private func proveNothingFromInternet(_ intent: IntentDeclaration) throws(IntentResolutionError) -> [IntentResult] {
        guard let egress = reach(.internet) else { return [] }
        let protected = try protectedSet(intent.destinations, from: .internet)
        let hit = egress.allowed.intersection(protected)
        if let packet = samplePacket(hit) {
            let trace = model.trace(packet: packet, from: .internet)
            let text = "\(packet.protocol.rawValue.lowercased()) internet → \(packet.destination):\(packet.destinationPort)"
            let subject = model.publicFronts[packet.destination.ip ?? IPv4Address(0)]?.resource
            return [IntentResult(intent: intent, status: .violated, subject: subject,
                                 message: "the internet reaches a protected destination, for example \(text)",
                                 traces: [trace], counterexample: text)]
        }
        return [IntentResult(intent: intent, status: .proven, subject: nil, message: "no packet from the internet reaches them",
                             traces: [], counterexample: nil)]
    }

    /// Every source the model has: subnets, NICs with their own NSG, the internet, VPN clients, managed networks.
    var everySource: [IntentSource] {
        var result = model.subnetOrder.compactMap { model.subnets[$0] }.map { IntentSource(label: $0.displayName, source: .subnet($0.id), subject: $0.id) }
        result.append(IntentSource(label: "internet", source: .internet, subject: nil))
        if !model.vpnClientPools.isEmpty { result.append(IntentSource(label: "vpn clients", source: .vpnClient, subject: nil)) }
        for ws in model.graph.all(MachineLearningWorkspace.self) where ws.managedNetwork.isolationMode != .disabled {
            result.append(IntentSource(label: "managed network of \(ws.name)", source: .managedNetwork(ws.id), subject: ws.id))
        }
        return result
    }

    private func proveOnlyReach(_ intent: IntentDeclaration) throws(IntentResolutionError) -> [IntentResult] {
        let allowed = try allSources(intent.sources)
        let allowedSubnets = Set(allowed.compactMap { source -> ResourceID? in
            if case .subnet(let id) = source.source { return id }
            if case .address(let ip) = source.source { return model.subnet(containing: ip)?.id }
            return nil
        })
        var results: [IntentResult] = []
        for source in everySource {
            if allowed.contains(where: { $0.source == source.source }) { continue }
            if case .subnet(let id) = source.source, allowedSubnets.contains(id),
               allowed.contains(where: { if case .subnet = $0.source { return true } else { return false } }) { continue }
            guard let egress = reach(source.source) else { continue }
            let protected = try protectedSet(intent.destinations, from: source.source)
            let hit = egress.allowed.intersection(protected)
            if let packet = samplePacket(hit) {
                let trace = model.trace(packet: packet, from: source.source)
                let text = "\(packet.protocol.rawValue.lowercased()) \(source.label) → \(packet.destination):\(packet.destinationPort)"
                results.append(IntentResult(intent: intent, status: .violated, subject: source.subject,
                                            message: "\(source.label) is not in the permitted sources but reaches the destination, for example \(text)",
                                            traces: [trace], counterexample: text))
            }
        }
        if results.isEmpty {
            results.append(IntentResult(intent: intent, status: .proven, subject: nil, message: "no other source reaches the destination",
                                        traces: [], counterexample: nil))
        }
        return results
    }
}

/// An intent endpoint that names nothing in the model.
public enum IntentResolutionError: Error, Equatable, CustomStringConvertible {
    /// The text and why it did not resolve.
    case unknown(String, String)

    public var description: String {
        switch self {
        case .unknown(let text, let why): "'\(text)' names nothing in this environment (\(why))"
        }
    }
}

extension NetworkModel {
    /// Proves every intent; one result per intent and resolved source (violations name a counterexample packet
    /// or the dropping hop).
    public func prove(_ intents: [IntentDeclaration]) -> [IntentResult] {
        let prover = IntentProver(model: self)
        return intents.flatMap(prover.prove)
    }
}
