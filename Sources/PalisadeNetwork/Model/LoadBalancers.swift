import PalisadeModel

/// One way through a load balancer: a frontend address and port, the backend members it forwards to and the port
/// they receive on (https://learn.microsoft.com/azure/load-balancer/components, docs/semantics.md#load-balancers).
struct LoadBalancerPath: Sendable {
    /// The load balancer.
    var loadBalancer: ResourceID
    /// The load-balancing or inbound NAT rule.
    var rule: String
    /// The frontend address (private, or the public IP's address).
    var frontend: IPv4Address
    /// Whether the frontend is a public IP.
    var isPublic: Bool
    /// Protocols the rule carries.
    var protocols: ProtocolSet
    /// Frontend ports the rule listens on.
    var frontendPorts: IntervalSet
    /// The backend port, or nil when the port is kept (HA ports).
    var backendPort: Int?
    /// Members that answer the health probe (or every member when the rule has no probe).
    var healthy: [IPv4Address]
    /// Members whose own security groups refuse the probe from `AzureLoadBalancer`.
    var unhealthy: [IPv4Address]
    /// The VNet of a private frontend's own subnet (VNets that reuse one range are told apart by it).
    var frontendNetwork: ResourceID? = nil

    /// The packet's port at the backend.
    func backendPort(for port: Int) -> Int { backendPort ?? port }
}

extension NetworkModel {
    /// Every load-balancing and inbound NAT rule of the model's load balancers, frontends with a known address only.
    func loadBalancerPaths() -> [LoadBalancerPath] {
        var paths: [LoadBalancerPath] = []
        let nics = graph.all(NetworkInterface.self)
        func address(_ nic: NetworkInterface, _ config: IPConfiguration) -> IPv4Address? {
            config.privateIPAddress ?? endpoints.values.filter { $0.resource == nic.id && $0.subnet == config.subnet }.map(\.address).min()
        }
        func members(where belongs: (IPConfiguration) -> Bool, named: [ResourceID]) -> [IPv4Address] {
            var found: [IPv4Address] = []
            for nic in nics {
                for config in nic.ipConfigurations where belongs(config) || named.contains(nic.id.child("ipConfigurations", config.name)) {
                    if let ip = address(nic, config) { found.append(ip) }
                }
            }
            return found
        }
        for lb in graph.all(LoadBalancer.self).sorted(by: { $0.id < $1.id }) {
            var fronts: [String: (IPv4Address, Bool)] = [:]
            var networks: [String: ResourceID] = [:]
            for frontend in lb.frontends {
                if let ip = frontend.privateIPAddress {
                    fronts[frontend.name.lowercased()] = (ip, false)
                    networks[frontend.name.lowercased()] = frontend.subnet?.parent ?? subnet(containing: ip)?.virtualNetwork
                } else if let ip = graph.resource(frontend.publicIPAddress, as: PublicIPAddress.self)?.ipAddress {
                    fronts[frontend.name.lowercased()] = (ip, true)
                }
            }
            func healthCheck(_ candidates: [IPv4Address], probe: String?) -> (healthy: [IPv4Address], unhealthy: [IPv4Address]) {
                guard let probe = lb.probes.first(where: { $0.name.lowercased() == probe?.lowercased() }) else { return (candidates, []) }
                var healthy: [IPv4Address] = [], unhealthy: [IPv4Address] = []
                for member in candidates {
                    // Probes come from 168.63.129.16 (`AzureLoadBalancer`); HTTP and HTTPS probes are TCP connections.
                    let packet = Packet(source: .ip(.azureHost), destination: .ip(member), protocol: probe.protocol.lowercased() == "udp" ? .udp : .tcp,
                                        destinationPort: probe.port)
                    if ipFlowVerify(packet, direction: .inbound).verdict == .allowed { healthy.append(member) } else { unhealthy.append(member) }
                }
                return (healthy, unhealthy)
            }
            for rule in lb.rules {
                guard let (frontend, isPublic) = fronts[rule.frontend.lowercased()] else { continue }
                let pool = lb.backendPools.first { $0.name.lowercased() == rule.backendPool?.lowercased() }
                let poolID = lb.id.child("backendAddressPools", rule.backendPool ?? "")
                var candidates = members(where: { $0.loadBalancerBackendAddressPools?.contains(poolID) ?? false },
                                         named: pool?.networkInterfaceIPConfigurations ?? []) + (pool?.addresses ?? [])
                candidates = Array(Set(candidates)).sorted()
                let (healthy, unhealthy) = healthCheck(candidates, probe: rule.probe)
                let allPorts = rule.protocol.lowercased() == "all" && rule.frontendPort == 0
                paths.append(LoadBalancerPath(loadBalancer: lb.id, rule: rule.name, frontend: frontend, isPublic: isPublic,
                                              protocols: Self.loadBalancerProtocols(rule.protocol),
                                              frontendPorts: allPorts ? .allPorts : IntervalSet(UInt32(rule.frontendPort), UInt32(rule.frontendPort)),
                                              backendPort: allPorts ? nil : rule.backendPort, healthy: healthy, unhealthy: unhealthy,
                                              frontendNetwork: networks[rule.frontend.lowercased()]))
            }
            for rule in lb.inboundNatRules {
                guard let (frontend, isPublic) = fronts[rule.frontend.lowercased()] else { continue }
                let ruleID = lb.id.child("inboundNatRules", rule.name)
                let targets = members(where: { $0.loadBalancerInboundNatRules?.contains(ruleID) ?? false },
                                      named: [rule.backendIPConfiguration].compactMap { $0 })
                paths.append(LoadBalancerPath(loadBalancer: lb.id, rule: rule.name, frontend: frontend, isPublic: isPublic,
                                              protocols: Self.loadBalancerProtocols(rule.protocol),
                                              frontendPorts: IntervalSet(UInt32(rule.frontendPort), UInt32(rule.frontendPort)),
                                              backendPort: rule.backendPort, healthy: Array(Set(targets)).sorted(), unhealthy: [],
                                              frontendNetwork: networks[rule.frontend.lowercased()]))
            }
        }
        return paths
    }

    /// `Tcp`, `Udp`, or `All` (TCP and UDP).
    static func loadBalancerProtocols(_ text: String) -> ProtocolSet {
        switch text.lowercased() {
        case "tcp": ProtocolSet([.tcp])
        case "udp": ProtocolSet([.udp])
        default: .tcpUdp
        }
    }
}

extension Tracer {
    /// A packet for a load balancer frontend: the rule for its protocol and port sends it to a healthy backend member,
    /// destination and port translated, source kept; allowed when some member's path allows it. Nil when `ip` is no
    /// frontend: of a public front (`publicOnly`), or of a private front in `vnet`.
    mutating func throughLoadBalancer(_ packet: Packet, to ip: IPv4Address, publicOnly: Bool, in vnet: ResourceID? = nil, state: State) -> Trace? {
        let model = self.model
        let paths = model.loadBalancerPaths().filter { path in
            path.frontend == ip && (publicOnly ? path.isPublic : !path.isPublic && path.frontendNetwork == vnet)
        }
        guard let first = paths.first else { return nil }
        let name = first.loadBalancer.name
        guard let path = paths.first(where: { $0.protocols.contains(packet.protocol) && $0.frontendPorts.contains(UInt32(packet.destinationPort)) }) else {
            hops.append(TraceHop(kind: "LoadBalancer", resource: name, result: "Drop",
                                 detail: "no load-balancing or inbound NAT rule for \(packet.protocol.rawValue) \(packet.destinationPort) on \(ip) (docs/semantics.md#load-balancers)"))
            return finish(.denied, "load balancer \(name) has no rule for \(packet.protocol.rawValue) port \(packet.destinationPort)", packet: packet)
        }
        guard !path.healthy.isEmpty else {
            let why = path.unhealthy.isEmpty ? "the backend pool is empty" : "no member answers the health probe from AzureLoadBalancer (168.63.129.16): its security groups refuse it"
            hops.append(TraceHop(kind: "LoadBalancer", resource: name, rule: path.rule, result: "Drop", detail: "\(why) (docs/semantics.md#load-balancers)"))
            return finish(.denied, "load balancer \(name): \(why)", packet: packet)
        }
        var last: Trace?
        for member in path.healthy {
            var walker = self
            var translated = packet
            translated.destination = .ip(member)
            translated.destinationPort = path.backendPort(for: packet.destinationPort)
            walker.hops.append(TraceHop(kind: "LoadBalancer", resource: name, rule: path.rule, result: "Forward",
                                        detail: "frontend \(ip):\(packet.destinationPort) → backend \(member):\(translated.destinationPort), source kept (docs/semantics.md#load-balancers)"))
            guard let subnet = model.subnet(containing: member) else { continue }
            let trace = walker.deliverPrivate(translated, in: subnet.virtualNetwork, from: subnet, state: state)
            if trace.verdict == .allowed {
                self = walker
                return trace
            }
            last = trace
        }
        return last ?? finish(.denied, "load balancer \(name): no backend member is in a modelled subnet", packet: packet)
    }
}

extension SymbolicForwarder {
    /// Flows for load balancer frontends among `flows` (private frontends of `vnet`, or public ones when `vnet` is
    /// nil): translated to each healthy member, delivered, and mapped back onto the original packets. Returns what
    /// is delivered and the flows that were for frontends (handled here, whatever the outcome).
    func throughLoadBalancers(_ flows: PacketSet, paths: [LoadBalancerPath], in vnet: ResourceID?, state: State) -> (delivered: PacketSet, handled: PacketSet) {
        var delivered = PacketSet.empty
        var handled = PacketSet.empty
        let fronts = Set(paths.filter { path in
            vnet == nil ? path.isPublic : (!path.isPublic && path.frontendNetwork == vnet)
        }.map(\.frontend)).sorted()
        for frontend in fronts {
            let toFront = flows.intersection(PacketCube(destination: .address(frontend)))
            if toFront.isEmpty { continue }
            handled = handled.union(toFront)
            var remaining = toFront
            for path in paths where path.frontend == frontend && path.isPublic == (vnet == nil) && (vnet == nil || path.frontendNetwork == vnet) {
                let hit = remaining.intersection(PacketCube(protocols: path.protocols, destinationPorts: path.frontendPorts))
                if hit.isEmpty { continue }
                remaining = remaining.subtracting(PacketSet(PacketCube(protocols: path.protocols, destinationPorts: path.frontendPorts)))
                for member in path.healthy {
                    guard let subnet = model.subnet(containing: member) else { continue }
                    let translated = hit.mapCubes { cube in
                        var c = cube
                        c.destination = .address(member)
                        if let port = path.backendPort { c.destinationPorts = IntervalSet(UInt32(port), UInt32(port)) }
                        return c
                    }
                    let arrived = deliverPrivate(translated, in: subnet.virtualNetwork, state: state)
                    for cube in arrived.cubes {
                        let back = PacketCube(source: cube.source, protocols: cube.protocols, sourcePorts: cube.sourcePorts,
                                              destinationPorts: path.backendPort == nil ? cube.destinationPorts : .allPorts)
                        delivered = delivered.union(hit.intersection(back))
                    }
                }
            }
        }
        return (delivered, handled)
    }
}
