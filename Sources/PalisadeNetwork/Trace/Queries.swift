import PalisadeModel

extension NetworkModel {
    /// Network Watcher's IP flow verify: only the NSGs at the local address, in docs/semantics.md#nsg-subnet-and-nic order (inbound: subnet then
    /// NIC; outbound: NIC then subnet). The local address is the destination for inbound, the source for outbound.
    public func ipFlowVerify(_ packet: Packet, direction: SecurityRule.Direction) -> Trace {
        let local = direction == .inbound ? packet.destination.ip : packet.source.ip
        var hops: [TraceHop] = []
        func done(_ verdict: Verdict, _ reason: String) -> Trace {
            Trace(verdict: verdict, source: packet.source.description, destination: packet.destination.description,
                  protocol: packet.protocol.rawValue, port: packet.destinationPort, hops: hops, reason: reason, assumptions: [])
        }
        guard let local, let subnet = subnet(containing: local) else { return done(.denied, "local address is in no subnet") }
        let endpoint = endpoints[local]
        var chain: [(ResourceID, String)] = [
            subnet.networkSecurityGroup.map { ($0, "subnet") }, endpoint?.networkSecurityGroup.map { ($0, "NIC") },
        ].compactMap { $0 }
        if direction == .outbound { chain.reverse() }
        for (nsg, level) in chain {
            guard let group = securityGroup(nsg, in: subnet.id, direction) else { continue }
            guard let rule = group.decide(packet) else { return done(.denied, "no rule of \(nsg.name) matches the protocol (docs/semantics.md#nsg-protocols)") }
            hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                 detail: "\(level) NSG \(direction.rawValue.lowercased()), priority \(rule.priority) (docs/semantics.md#nsg-evaluation-order, #nsg-subnet-and-nic)"))
            if rule.access == .deny { return done(.denied, "denied by \(nsg.name)/\(rule.name)") }
        }
        return done(.allowed, chain.isEmpty ? "no NSG (allow, docs/semantics.md#nsg-subnet-and-nic)" : "every NSG allows (docs/semantics.md#nsg-subnet-and-nic)")
    }

    /// Parses a trace/reach SOURCE: `internet`, `vpn-client`, an IP, a subnet (`vnet/subnet` when ambiguous),
    /// a NIC or VM name, or an AML compute name (managed-network compute maps to its workspace).
    public func source(named text: String) throws(NetworkQueryError) -> TraceSource {
        let lower = text.lowercased()
        if lower == "internet" { return .internet }
        if lower == "vpn-client" || lower == "vpn" {
            guard !vpnClientPools.isEmpty else { throw .unavailableSource(text, reason: "the model has no point-to-site VPN (no gateway with a client address pool)") }
            return .vpnClient
        }
        if let ip = IPv4Address(text) { return .address(ip) }
        let bySubnet = subnetOrder.compactMap { subnets[$0] }.filter {
            $0.id.name.lowercased() == lower || $0.displayName.lowercased() == lower
        }
        if bySubnet.count == 1 { return .subnet(bySubnet[0].id) }
        if bySubnet.count > 1 { throw .ambiguousSource(text, candidates: bySubnet.map(\.displayName)) }
        let byEndpoint = endpoints.values.filter {
            $0.kind == .networkInterface && ($0.resource.name.lowercased() == lower || $0.virtualMachine?.name.lowercased() == lower)
        }.sorted { $0.address < $1.address }
        if let first = byEndpoint.first { return .address(first.address) }
        // `compute` names the estate's AML compute when there is exactly one.
        let computes = graph.all(MachineLearningCompute.self)
        if lower == "compute", !computes.contains(where: { $0.name.lowercased() == lower }) {
            if computes.count > 1 { throw .ambiguousSource(text, candidates: computes.map(\.name).sorted()) }
            if let only = computes.first {
                if let subnet = only.subnet { return .subnet(subnet) }
                return .managedNetwork(only.workspace)
            }
        }
        for compute in computes where compute.name.lowercased() == lower {
            if let subnet = compute.subnet { return .subnet(subnet) }
            return .managedNetwork(compute.workspace)
        }
        for ws in graph.all(MachineLearningWorkspace.self) where "managed:\(ws.name.lowercased())" == lower {
            return .managedNetwork(ws.id)
        }
        throw .unknownSource(text)
    }

    /// Parses a trace DEST: an IP, a service tag, a resource name (VM/NIC, private endpoint, storage, key vault,
    /// registry, workspace, firewall, Bastion) or otherwise a DNS name. From `internet`, a resource with a public
    /// front (Bastion, a VM's public IP, a firewall) is its public address; from inside, its private one.
    public func destination(named text: String, from source: TraceSource? = nil) throws(NetworkQueryError) -> TraceDestination {
        if let ip = IPv4Address(text) { return .address(ip) }
        let lower = text.lowercased()
        if source == .internet {
            for (address, front) in publicFronts.sorted(by: { $0.key < $1.key }) {
                let machine = front.privateAddress.flatMap { endpoints[$0]?.virtualMachine?.name.lowercased() }
                if front.resource.name.lowercased() == lower || machine == lower { return .address(address) }
            }
        }
        for endpoint in endpoints.values.sorted(by: { $0.address < $1.address }) {
            if endpoint.resource.name.lowercased() == lower || endpoint.virtualMachine?.name.lowercased() == lower {
                return .address(endpoint.address)
            }
        }
        // A private endpoint's network interface by its custom name (`customNetworkInterfaceName`, docs/semantics.md#private-endpoint-static-addresses).
        for pe in graph.all(PrivateEndpoint.self) where pe.customNetworkInterfaceName?.lowercased() == lower {
            if let first = endpoints.values.filter({ $0.resource == pe.id }).min(by: { $0.address < $1.address }) { return .address(first.address) }
        }
        for fw in firewalls where fw.name.lowercased() == lower { return .address(fw.privateAddress) }
        for (address, front) in publicFronts.sorted(by: { $0.key < $1.key }) where front.resource.name.lowercased() == lower && front.kind == .bastionHost {
            return .address(address)
        }
        // Public IP resources by name, and load balancers by name (a public frontend from the Internet, else the first
        // frontend; docs/semantics.md#load-balancers).
        for pip in graph.all(PublicIPAddress.self) where pip.name.lowercased() == lower {
            if let address = pip.ipAddress { return .address(address) }
        }
        for lb in graph.all(LoadBalancer.self) where lb.name.lowercased() == lower {
            let paths = loadBalancerPaths().filter { $0.loadBalancer == lb.id }
            if let path = paths.first(where: { $0.isPublic == (source == .internet) }) ?? paths.first { return .address(path.frontend) }
        }
        for resource in graph.resources(named: lower) {
            if let name = ServiceNames.primaryName(resource, graph: graph) { return .name(name) }
        }
        // Service tags: in the loaded file, named by the model, computed (docs/semantics.md#service-tags), or a tag Microsoft documents for
        // AML egress, optionally with a region suffix (`Storage.WestEurope`). Anything else with a dot is a DNS
        // name, so `GitHub.com` is a host, not a new tag.
        if tags.catalog.entry(text) != nil || tags.universe.contains(where: { $0.name.lowercased() == lower })
            || ServiceTagCatalog.computedTags.contains(lower) || NetworkModel.isDocumentedTag(text) {
            return .serviceTag(text)
        }
        if text.contains(".") { return .name(text) }
        throw .unknownDestination(text)
    }

    /// Service tags named in the AML requirement catalog (docs/semantics.md#aml-compute-outbound, #service-tags),
    /// bare or with a known region suffix; the symbolic mode recognises these without the tag file.
    static let documentedTags: Set<String> = [
        "azurecloud", "storage", "azureactivedirectory", "azuremachinelearning", "azureresourcemanager", "azuremonitor",
        "azurefrontdoor.firstparty", "azurefrontdoor.frontend", "azurefrontdoor.backend", "microsoftcontainerregistry",
        "batchnodemanagement", "azurekeyvault", "azurecontainerregistry", "sql", "eventhub", "servicebus",
        "cognitiveservicesmanagement", "azureopendatasets", "guestandhybridmanagement", "azuredatalake", "azurecosmosdb",
    ]

    /// Whether `text` is a documented tag, alone or with a region suffix.
    static func isDocumentedTag(_ text: String) -> Bool {
        let lower = text.lowercased()
        if documentedTags.contains(lower) { return true }
        guard let dot = lower.lastIndex(of: ".") else { return false }
        let base = String(lower[..<dot])
        let suffix = String(lower[lower.index(after: dot)...])
        return documentedTags.contains(base) && AzureRegion.all.contains { $0.tagSuffix.lowercased() == suffix }
    }

    /// Convenience for the CLI: parse both ends, then trace.
    public func trace(from source: String, to destination: String, port: Int, protocol proto: IPProtocol = .tcp) throws(NetworkQueryError) -> Trace {
        let start = try self.source(named: source)
        return trace(from: start, to: try self.destination(named: destination, from: start), port: port, protocol: proto)
    }

    /// `--protocol any`: one trace per protocol a flow usually carries (TCP, UDP, ICMP). The sweep is allowed
    /// when some protocol gets through, since one open protocol is enough to move data (docs/engine-decisions.md).
    public func traceEveryProtocol(from source: String, to destination: String, port: Int) throws(NetworkQueryError) -> ProtocolSweep {
        let start = try self.source(named: source)
        let end = try self.destination(named: destination, from: start)
        let traces = [IPProtocol.tcp, .udp, .icmp].map { trace(from: start, to: end, port: port, protocol: $0) }
        return ProtocolSweep(traces: traces)
    }
}
