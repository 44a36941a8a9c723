import PalisadeModel

extension NetworkModel {
    /// Follows one concrete packet through the compiled network docs/semantics.md#evaluation-order).
    /// - Complexity: O(hops × (rules + routes)).
    public func trace(from source: TraceSource, to destination: TraceDestination, port: Int,
                      protocol proto: IPProtocol = .tcp, sourcePort: Int = 50000) -> Trace {
        var walker = Tracer(model: self)
        return walker.run(source: source, destination: destination, port: port, proto: proto, sourcePort: sourcePort)
    }

    /// Follows a fully specified packet from a source context (used by property tests and `reach` checks).
    public func trace(packet: Packet, from source: TraceSource) -> Trace {
        var walker = Tracer(model: self)
        return walker.run(packet: packet, source: source, answer: nil)
    }
}

/// Internal state of one trace.
struct Tracer {
    let model: NetworkModel
    var hops: [TraceHop] = []
    var assumptions: [String] = []
    var steps = 0
    var sourceText = ""
    var destinationText = ""

    init(model: NetworkModel) { self.model = model }

    /// Forwarding state carried between hops.
    struct State {
        /// A stateful device (firewall/NVA) the flow went through without SNAT, for the return-path check (docs/semantics.md#return-path).
        var statefulDevice: IPv4Address?
        /// Whether the packet's source was translated by a firewall.
        var snatted = false
        /// The egress public identity text when leaving via a firewall.
        var firewallEgress: CompiledFirewall?
        /// Whether a VPN gateway forwarded the packet (docs/semantics.md#peering-forwarded-traffic exemption).
        var fromGateway = false
        /// The original source endpoint (for its public IP).
        var sourceEndpoint: Endpoint?
        /// The public endpoint a DNS answer pointed at.
        var publicEndpointOf: ResourceID?
    }

    mutating func run(source: TraceSource, destination: TraceDestination, port: Int, proto: IPProtocol, sourcePort: Int) -> Trace {
        guard let src = sourceAddress(source) else {
            return finish(.denied, "source has no address in the model", packet: nil, port: port, proto: proto)
        }
        var answer: DNSAnswer?
        var dst: Address
        var host: String?
        switch destination {
        case .address(let ip): dst = .ip(ip)
        case .serviceTag(let tag):
            dst = model.tags.representative(tag)
            assumptions.append("service tag \(tag) is represented by \(dst)")
        case .name(let name):
            host = name
            if case .managedNetwork = source {
                dst = .atom(.host(name))
            } else {
                let view = dnsView(source)
                let a = model.resolve(name, from: view)
                answer = a
                let chain = a.chain.isEmpty ? "" : " via CNAME \(a.chain.joined(separator: " → "))"
                hops.append(TraceHop(kind: "DNS", resource: name, result: a.nxdomain ? "NXDOMAIN" : a.addresses.map(\.description).joined(separator: ","),
                                     detail: a.detail + chain))
                assumptions += a.assumptions
                guard !a.nxdomain, let first = a.addresses.first else {
                    return finish(.denied, "name does not resolve (docs/semantics.md#private-dns-nxdomain): no flow", packet: nil, port: port, proto: proto)
                }
                dst = first
            }
        }
        let packet = Packet(source: src, destination: dst, protocol: proto, sourcePort: sourcePort, destinationPort: port, hostName: host)
        return run(packet: packet, source: source, answer: answer)
    }

    mutating func run(packet: Packet, source: TraceSource, answer: DNSAnswer?) -> Trace {
        destinationText = packet.hostName.map { "\($0) (\(packet.destination))" } ?? packet.destination.description
        if sourceText.isEmpty { sourceText = describe(source) + " (\(packet.source))" }
        var state = State()
        state.publicEndpointOf = answer?.publicEndpointOf
        switch source {
        case .internet:
            return inboundFromInternet(packet, state: state)
        case .vpnClient:
            guard let vnet = model.gatewayVirtualNetwork, let gatewaySubnet = gatewaySubnet(in: vnet) else {
                return finish(.denied, "no point-to-site gateway in the model", packet: packet)
            }
            state.fromGateway = true
            guard let ip = packet.destination.ip, model.vpnClientRoutes.contains(where: { $0.contains(ip) }) else {
                hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: vnet.name, result: "NotRouted",
                                     detail: "the gateway advertises only \(model.vpnClientRoutes.map(\.description).joined(separator: ",")) to VPN clients (docs/semantics.md#vpn-clients); other traffic uses the client's own Internet"))
                if let resource = state.publicEndpointOf {
                    return publicEndpoint(packet, resource: resource, viaSubnet: nil, publicSource: nil, state: state)
                }
                return finish(.denied, "destination is not routed into the VPN tunnel (the client's own Internet path is outside the model)", packet: packet)
            }
            hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: vnet.name, result: "Ingress",
                                 detail: "VPN client enters at \(gatewaySubnet.displayName)"))
            return forward(packet, at: gatewaySubnet, state: state)
        case .managedNetwork(let ws):
            return managed(packet, workspace: ws)
        case .subnet, .address:
            guard let ip = packet.source.ip, let subnet = model.subnet(containing: ip) else {
                return finish(.denied, "source address is in no modelled subnet", packet: packet)
            }
            let endpoint = model.endpoints[ip]
            state.sourceEndpoint = endpoint
            return egress(packet, subnet: subnet, endpoint: endpoint, state: state)
        }
    }

    // MARK: Source side

    func describe(_ source: TraceSource) -> String {
        switch source {
        case .subnet(let id): model.subnets[id]?.displayName ?? id.name
        case .address(let ip): model.endpoints[ip]?.displayName ?? ip.description
        case .internet: "internet"
        case .vpnClient: "vpn-client"
        case .managedNetwork(let ws): "managed network of \(ws.name)"
        }
    }

    mutating func sourceAddress(_ source: TraceSource) -> Address? {
        switch source {
        case .address(let ip): return .ip(ip)
        case .internet:
            assumptions.append("the Internet client is represented by 203.0.113.10")
            return .ip(IPv4Address(203, 0, 113, 10))
        case .vpnClient:
            guard let pool = model.vpnClientPools.first else { return nil }
            return .ip(pool.firstAzureUsable.advanced(by: -2))
        case .managedNetwork: return .atom(.host("managed-compute"))
        case .subnet(let id):
            guard let subnet = model.subnets[id], let prefix = subnet.prefixes.first else { return nil }
            // Prefer a NIC without its own NSG (what `reach` reports for the subnet), then a free address.
            let nics = model.lookups.networkInterfaces(in: id, of: model)
            if let nic = nics.first(where: { $0.networkSecurityGroup == nil }) { return .ip(nic.address) }
            var candidate = prefix.firstAzureUsable
            while model.endpoints[candidate] != nil, candidate < prefix.last.advanced(by: -1) { candidate = candidate.advanced(by: 1) }
            if model.endpoints[candidate] == nil {
                assumptions.append("a VM in \(subnet.displayName) is represented by \(candidate)")
                return .ip(candidate)
            }
            return nics.first.map { .ip($0.address) }
        }
    }

    func dnsView(_ source: TraceSource) -> DNSView {
        switch source {
        case .internet: .internet
        case .vpnClient: .vpnClient
        case .managedNetwork: .internet
        case .subnet(let id): model.subnets[id].map { .virtualNetwork($0.virtualNetwork) } ?? .internet
        case .address(let ip): model.subnet(containing: ip).map { .virtualNetwork($0.virtualNetwork) } ?? .internet
        }
    }

    func gatewaySubnet(in vnet: ResourceID) -> CompiledSubnet? {
        let candidates = model.lookups.subnets(of: vnet, in: model)
        return candidates.first { $0.id.name.lowercased() == "gatewaysubnet" } ?? candidates.first
    }

    /// docs/semantics.md#nsg-subnet-and-nic outbound (NIC then subnet), docs/semantics.md#platform-traffic platform traffic, then routing.
    mutating func egress(_ packet: Packet, subnet: CompiledSubnet, endpoint: Endpoint?, state: State) -> Trace {
        let nsgs: [(ResourceID, String)] = [
            endpoint?.networkSecurityGroup.map { ($0, "NIC") }, subnet.networkSecurityGroup.map { ($0, "subnet") },
        ].compactMap { $0 }
        if let ip = packet.destination.ip, ip == .azureHost || ip == .instanceMetadata {
            for (nsg, level) in nsgs {
                if let group = model.securityGroup(nsg, in: subnet.id, .outbound), let rule = group.decidePlatform(packet) {
                    hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                         detail: "\(level) NSG outbound; rule targets an AzurePlatform tag (docs/semantics.md#platform-traffic)"))
                    if rule.access == .deny { return finish(.denied, "platform traffic denied by \(nsg.name)/\(rule.name) (docs/semantics.md#platform-traffic)", packet: packet) }
                }
            }
            hops.append(TraceHop(kind: "Platform", resource: ip.description, result: "Allow",
                                 detail: "platform traffic to \(ip) is not subject to NSGs or UDRs (docs/semantics.md#platform-traffic)"))
            return finish(.allowed, "platform address \(ip) (docs/semantics.md#platform-traffic)", packet: packet)
        }
        // docs/semantics.md#avnm-security-admin-rules: security admin rules first.
        let admin = adminRules(packet, at: subnet, .outbound)
        if case .denied(let why) = admin { return finish(.denied, why, packet: packet) }
        for (nsg, level) in nsgs {
            if case .alwaysAllowed = admin { break }
            guard let group = model.securityGroup(nsg, in: subnet.id, .outbound) else { continue }
            guard let rule = group.decide(packet) else { return finish(.denied, "no rule of \(nsg.name) matches the protocol (docs/semantics.md#nsg-protocols)", packet: packet) }
            hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                 detail: "\(level) NSG outbound, priority \(rule.priority) (docs/semantics.md#nsg-evaluation-order, #nsg-subnet-and-nic)"))
            if rule.access == .deny { return finish(.denied, "denied by \(nsg.name)/\(rule.name) outbound", packet: packet) }
        }
        return forward(packet, at: subnet, state: state)
    }

    // MARK: Forwarding

    mutating func forward(_ packet: Packet, at subnet: CompiledSubnet, state: State) -> Trace {
        steps += 1
        if steps > model.options.maximumHops { return finish(.denied, "routing loop (more than \(model.options.maximumHops) hops)", packet: packet) }
        guard let route = subnet.routes.lookup(packet.destination) else {
            return finish(.denied, "no route in \(subnet.displayName)", packet: packet)
        }
        hops.append(TraceHop(kind: "Route", resource: subnet.displayName, rule: "\(route.addressPrefix) → \(route.nextHop)",
                             result: route.nextHop.typeName,
                             detail: "\(route.origin.rawValue) route \(route.name); longest prefix, then User > BGP > System (docs/semantics.md#udr-longest-prefix-match, #service-tags-in-routes)"))
        switch route.nextHop {
        case .none:
            return finish(.denied, "route \(route.addressPrefix) has next hop None: dropped", packet: packet)
        case .vnetLocal:
            return deliverPrivate(packet, in: subnet.virtualNetwork, from: subnet, state: state)
        case .vnetPeering(let peer):
            guard crossPeering(packet, from: subnet.virtualNetwork, to: peer, state: state) else {
                return finish(.denied, "peering \(peer.name) refuses forwarded traffic (docs/semantics.md#peering-forwarded-traffic)", packet: packet)
            }
            return deliverPrivate(packet, in: peer, from: subnet, state: state)
        case .interfaceEndpoint(let ip):
            guard let pe = model.endpoints[ip] else { return finish(.denied, "private endpoint \(ip) not found", packet: packet) }
            return deliverToPrivateEndpoint(packet, pe, state: state)
        case .virtualAppliance(let ip):
            return appliance(packet, at: ip, from: subnet, state: state)
        case .internet:
            return toInternet(packet, from: subnet, state: state)
        case .virtualNetworkGateway:
            if let ip = packet.destination.ip, model.vpnClientPools.contains(where: { $0.contains(ip) }) {
                hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: "vpn", result: "Allow", detail: "delivered to a point-to-site client"))
                return finish(.allowed, "delivered to the VPN client pool", packet: packet)
            }
            guard model.hasGateway(for: subnet.virtualNetwork) else {
                hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: subnet.displayName, result: "Drop",
                                     detail: "no virtual network gateway in the VNet or through gateway transit (docs/semantics.md#user-defined-routes, #gateway-transit)"))
                return finish(.denied, "next hop VirtualNetworkGateway, but there is no gateway: dropped", packet: packet)
            }
            // docs/semantics.md#on-premises-networks, #forced-tunnelling: once the gateway's connections are modelled, it
            // delivers only to their sites' prefixes (everything, with a default site).
            if let deliverable = model.gatewayDeliverable(from: subnet.virtualNetwork) {
                guard deliverable.contains(packet.destination), let site = model.onPremisesSite(from: subnet.virtualNetwork, for: packet.destination) else {
                    hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: subnet.displayName, result: "Drop",
                                         detail: "no connection of the gateway covers \(packet.destination.description) and it has no default site (docs/semantics.md#on-premises-networks)"))
                    return finish(.denied, "the gateway has no on-premises site for \(packet.destination.description): dropped", packet: packet)
                }
                let how = site.prefixes.contains { AddressSet.prefixes([$0]).contains(packet.destination) } ? "" : " as its default site (forced tunnelling, docs/semantics.md#forced-tunnelling)"
                hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: site.name, result: "Forward",
                                     detail: "delivered over \(site.kind) to on-premises site \(site.name)\(how); what happens there is not modelled (docs/semantics.md#on-premises-networks)"))
                return finish(.allowed, "delivered to on-premises site \(site.name)", packet: packet)
            }
            hops.append(TraceHop(kind: "VirtualNetworkGateway", resource: "gateway", result: "Forward", detail: "handed to the gateway (on-premises, not modelled)"))
            return finish(.allowed, "handed to the virtual network gateway", packet: packet)
        case .serviceEndpoint(let service):
            hops.append(TraceHop(kind: "ServiceEndpoint", resource: service, result: "Forward",
                                 detail: "to the service's public endpoint with the subnet's identity (docs/semantics.md#optional-system-routes)"))
            if let resource = state.publicEndpointOf {
                return publicEndpoint(packet, resource: resource, viaSubnet: subnet, publicSource: nil, state: state)
            }
            if let policy = model.serviceEndpointPolicy(on: subnet, service: service, account: nil) {
                hops.append(TraceHop(kind: "ServiceEndpointPolicy", resource: subnet.displayName, result: policy.allowed ? "Allow" : "Deny",
                                     detail: "\(policy.reason) (docs/semantics.md#service-endpoint-policies)"))
                if let assumption = policy.assumption { assumptions.append(assumption) }
                if !policy.allowed { return finish(.denied, policy.reason, packet: packet) }
            }
            return finish(.allowed, "reaches \(service) over the service endpoint (target not modelled)", packet: packet)
        }
    }

    /// docs/semantics.md#peering-non-transitive, #peering-forwarded-traffic when a packet crosses a peering.
    mutating func crossPeering(_ packet: Packet, from: ResourceID, to: ResourceID, state: State) -> Bool {
        let back = model.peering(from: to, to: from)
        let senderSpace = model.virtualNetworks[from]?.addressSpace ?? []
        let originates = packet.source.ip.map { ip in senderSpace.contains { $0.contains(ip) } } ?? false
        if !originates && !state.fromGateway && !(back?.allowForwardedTraffic ?? false) {
            hops.append(TraceHop(kind: "Peering", resource: "\(from.name) → \(to.name)", result: "Deny",
                                 detail: "source \(packet.source) is outside \(from.name) and \(to.name)'s peering has allowForwardedTraffic=false (docs/semantics.md#peering-forwarded-traffic)"))
            return false
        }
        hops.append(TraceHop(kind: "Peering", resource: "\(from.name) → \(to.name)", result: "Forward",
                             detail: originates ? "non-transitive peering (docs/semantics.md#peering-non-transitive)" : "forwarded traffic accepted (docs/semantics.md#peering-forwarded-traffic)"))
        return true
    }

    /// VnetLocal / VNetPeering delivery: destination subnet NSG, then NIC NSG (docs/semantics.md#nsg-subnet-and-nic), then the return path (docs/semantics.md#return-path).
    mutating func deliverPrivate(_ packet: Packet, in vnet: ResourceID, from origin: CompiledSubnet, state: State) -> Trace {
        guard let ip = packet.destination.ip else { return finish(.denied, "symbolic destination on a private route", packet: packet) }
        // A private endpoint or a private load balancer frontend is reached only in its own VNet: a route that
        // delivers into `vnet` (VnetLocal, or a peering into it) cannot hand the packet to another VNet's address.
        if let pe = model.endpoints[ip], pe.kind == .privateEndpoint, model.subnets[pe.subnet]?.virtualNetwork == vnet {
            return deliverToPrivateEndpoint(packet, pe, state: state)
        }
        // docs/semantics.md#load-balancers: a load balancer frontend forwards to its backend pool.
        if let balanced = throughLoadBalancer(packet, to: ip, publicOnly: false, in: vnet, state: state) { return balanced }
        let model = self.model
        guard let target = model.subnetOrder.lazy.compactMap({ model.subnets[$0] })
            .first(where: { $0.virtualNetwork == vnet && $0.prefixes.contains { $0.contains(ip) } }) else {
            return finish(.denied, "\(ip) is in no subnet of \(vnet.name)", packet: packet)
        }
        let endpoint = model.endpoints[ip]
        let nsgs: [(ResourceID, String)] = [
            target.networkSecurityGroup.map { ($0, "subnet") }, endpoint?.networkSecurityGroup.map { ($0, "NIC") },
        ].compactMap { $0 }
        // docs/semantics.md#avnm-security-admin-rules: security admin rules first.
        let admin = adminRules(packet, at: target, .inbound)
        if case .denied(let why) = admin { return finish(.denied, why, packet: packet) }
        for (nsg, level) in nsgs {
            if case .alwaysAllowed = admin { break }
            guard let group = model.securityGroup(nsg, in: target.id, .inbound) else { continue }
            guard let rule = group.decide(packet) else { return finish(.denied, "no rule of \(nsg.name) matches the protocol (docs/semantics.md#nsg-protocols)", packet: packet) }
            hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                 detail: "\(level) NSG inbound at \(target.displayName), priority \(rule.priority) (docs/semantics.md#nsg-evaluation-order, #nsg-subnet-and-nic)"))
            if rule.access == .deny { return finish(.denied, "denied by \(nsg.name)/\(rule.name) inbound", packet: packet) }
        }
        if let failure = returnPathProblem(packet, target: target, state: state) { return finish(.denied, failure, packet: packet) }
        if let endpoint {
            hops.append(TraceHop(kind: "Delivery", resource: endpoint.displayName, result: "Allow", detail: "delivered to \(ip) in \(target.displayName)"))
            if endpoint.addressAssumed { assumptions.append("\(endpoint.displayName) has \(ip), allocated .4 upward in resource-ID order") }
            return finish(.allowed, "delivered to \(endpoint.displayName)", packet: packet)
        }
        hops.append(TraceHop(kind: "Delivery", resource: target.displayName, result: "Allow",
                             detail: "the network delivers to \(ip); no NIC is known at this address"))
        return finish(.allowed, "delivered to \(ip) in \(target.displayName) (no NIC known there)", packet: packet)
    }

    /// docs/semantics.md#return-path: the reply must come back through the same stateful device.
    mutating func returnPathProblem(_ packet: Packet, target: CompiledSubnet, state: State) -> String? {
        guard let src = packet.source.ip else { return nil }
        guard let reply = target.routes.lookup(.ip(src)) else { return nil }
        // A virtual hub's router is stateless (docs/semantics.md#virtual-wan-hub-routing).
        let replyDevice: IPv4Address? = if case .virtualAppliance(let ip) = reply.nextHop, !model.isHubRouter(ip) { ip } else { nil }
        if replyDevice == state.statefulDevice { return nil }
        if replyDevice == src { return nil }  // the reply goes to the device itself (e.g. a SNATed firewall address)
        if state.statefulDevice == nil, model.vpnClientPools.contains(where: { $0.contains(src) }) { return nil }
        hops.append(TraceHop(kind: "ReturnPath", resource: target.displayName, rule: "\(reply.addressPrefix) → \(reply.nextHop)",
                             result: "Asymmetric",
                             detail: "the reply to \(src) takes \(reply.nextHop) but the request \(state.statefulDevice.map { "went through \($0)" } ?? "bypassed it"); the stateful device drops it (docs/semantics.md#return-path)"))
        return "asymmetric return path: reply from \(target.displayName) uses \(reply.nextHop)"
    }

    /// docs/semantics.md#private-endpoint-network-policies, #private-endpoint-reachability, #private-endpoint-snat: a private endpoint.
    mutating func deliverToPrivateEndpoint(_ packet: Packet, _ pe: Endpoint, state: State) -> Trace {
        guard let subnet = model.subnets[pe.subnet] else { return finish(.denied, "private endpoint subnet missing", packet: packet) }
        if subnet.privateEndpointNetworkPolicies.appliesNetworkSecurityGroups, let nsg = subnet.networkSecurityGroup,
           let group = model.securityGroup(nsg, in: subnet.id, .inbound)?.ignoringSourcePorts {
            guard let rule = group.decide(packet) else { return finish(.denied, "no rule of \(nsg.name) matches the protocol (docs/semantics.md#nsg-protocols)", packet: packet) }
            hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                 detail: "subnet NSG applies to the private endpoint: privateEndpointNetworkPolicies=\(subnet.privateEndpointNetworkPolicies.rawValue) (docs/semantics.md#private-endpoint-network-policies); source ports read as * (docs/semantics.md#private-endpoint-network-policies)"))
            if rule.access == .deny { return finish(.denied, "denied by \(nsg.name)/\(rule.name) at the private endpoint", packet: packet) }
        }
        if state.statefulDevice != nil {
            hops.append(TraceHop(kind: "ReturnPath", resource: pe.displayName, result: "Asymmetric",
                                 detail: "traffic reached the private endpoint through \(state.statefulDevice!) without SNAT; the reply bypasses it (docs/semantics.md#private-endpoint-snat, #return-path)"))
            return finish(.denied, "asymmetric: private endpoint traffic through a stateful device needs SNAT (docs/semantics.md#private-endpoint-snat)", packet: packet)
        }
        let target = pe.target.map { $0.name } ?? "unknown target"
        hops.append(TraceHop(kind: "PrivateEndpoint", resource: pe.displayName, result: "Allow",
                             detail: "private endpoint of \(target) (\(pe.groupID ?? "")); public network rules do not apply (docs/semantics.md#private-endpoint-reachability)"))
        if pe.addressAssumed { assumptions.append("\(pe.displayName) has \(pe.address), allocated .4 upward in resource-ID order") }
        return finish(.allowed, "reaches \(target) through its private endpoint", packet: packet)
    }

    /// A VirtualAppliance next hop (Azure Firewall or an NVA NIC): docs/semantics.md#ip-forwarding, #next-hop-reachability.
    mutating func appliance(_ packet: Packet, at ip: IPv4Address, from subnet: CompiledSubnet, state: State) -> Trace {
        let applianceVNet = model.virtualNetwork(containing: ip)?.id
        if let applianceVNet, applianceVNet != subnet.virtualNetwork {
            guard model.peering(from: subnet.virtualNetwork, to: applianceVNet) != nil else {
                return finish(.denied, "next hop \(ip) is not directly reachable from \(subnet.virtualNetwork.name) (docs/semantics.md#next-hop-reachability, #peering-non-transitive)", packet: packet)
            }
            guard crossPeering(packet, from: subnet.virtualNetwork, to: applianceVNet, state: state) else {
                return finish(.denied, "peering to the appliance refuses forwarded traffic (docs/semantics.md#peering-forwarded-traffic)", packet: packet)
            }
        }
        if let fw = model.firewalls.first(where: { $0.privateAddress == ip }) {
            let decision = fw.decide(packet)
            let snat = decision.snat.map { ", SNAT to \($0) (docs/semantics.md#firewall-snat)" } ?? ", no SNAT (docs/semantics.md#firewall-snat)"
            hops.append(TraceHop(kind: "AzureFirewall", resource: fw.name, rule: decision.rule,
                                 result: decision.allowed ? "Allow" : "Deny",
                                 detail: "\(decision.ruleType) rule; DNAT → network → application order (docs/semantics.md#firewall-rule-order)" + (decision.allowed ? snat : "")))
            guard decision.allowed else { return finish(.denied, "denied by firewall \(fw.name): \(decision.rule)", packet: packet) }
            guard let fwSubnet = model.subnets[fw.subnet] else { return finish(.denied, "firewall subnet missing", packet: packet) }
            var next = packet
            var nextState = state
            if let snatIP = decision.snat {
                next.source = .ip(snatIP)
                nextState.snatted = true
                nextState.statefulDevice = nil
            } else {
                nextState.statefulDevice = fw.privateAddress
            }
            nextState.firewallEgress = fw
            nextState.fromGateway = false
            return forward(next, at: fwSubnet, state: nextState)
        }
        guard let nva = model.endpoints[ip] else {
            return finish(.denied, "no device has next hop address \(ip): the route is invalid (docs/semantics.md#next-hop-reachability)", packet: packet)
        }
        guard nva.ipForwarding else {
            hops.append(TraceHop(kind: "NVA", resource: nva.displayName, result: "Deny", detail: "IP forwarding is off on the NIC (docs/semantics.md#ip-forwarding)"))
            return finish(.denied, "next hop \(nva.displayName) has IP forwarding disabled (docs/semantics.md#ip-forwarding)", packet: packet)
        }
        guard let nvaSubnet = model.subnets[nva.subnet] else { return finish(.denied, "NVA subnet missing", packet: packet) }
        // docs/semantics.md#evaluation-order step 4: the appliance's own NSGs see the packet entering (subnet, then NIC) and leaving (NIC, then
        // subnet), docs/semantics.md#nsg-subnet-and-nic, with its original addresses.
        let chain: [(ResourceID?, SecurityRule.Direction, String)] = [
            (nvaSubnet.networkSecurityGroup, .inbound, "subnet"), (nva.networkSecurityGroup, .inbound, "NIC"),
            (nva.networkSecurityGroup, .outbound, "NIC"), (nvaSubnet.networkSecurityGroup, .outbound, "subnet"),
        ]
        for case let (nsg?, direction, level) in chain {
            guard let group = model.securityGroup(nsg, in: nvaSubnet.id, direction) else { continue }
            guard let rule = group.decide(packet) else { return finish(.denied, "no rule of \(nsg.name) matches the protocol (docs/semantics.md#nsg-protocols)", packet: packet) }
            hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                 detail: "NVA \(level) NSG \(direction.rawValue.lowercased()) (the appliance's own NSGs, docs/semantics.md#nsg-subnet-and-nic)"))
            if rule.access == .deny { return finish(.denied, "denied by \(nsg.name)/\(rule.name) at NVA \(nva.displayName)", packet: packet) }
        }
        hops.append(TraceHop(kind: "NVA", resource: nva.displayName, result: "Forward",
                             detail: "IP forwarding on (docs/semantics.md#ip-forwarding); the appliance's own policy is not modelled, assumed to forward"))
        var nextState = state
        if model.isHubRouter(ip) {
            hops[hops.count - 1].detail = "virtual hub router: forwards to the connections its route table knows (docs/semantics.md#virtual-wan-hub-routing)"
        } else {
            assumptions.append("NVA \(nva.displayName) forwards the packet unchanged")
            nextState.statefulDevice = ip
        }
        return forward(packet, at: nvaSubnet, state: nextState)
    }

    /// Next hop Internet: needs an outbound public identity (docs/semantics.md#default-outbound-access), then the public destination.
    mutating func toInternet(_ packet: Packet, from subnet: CompiledSubnet, state: State) -> Trace {
        var identity: String?
        var publicSource: IPv4Address?
        // A NAT gateway on the subnet takes precedence over every other outbound method and carries TCP and UDP
        // only (docs/semantics.md#nat-gateway-protocols; https://learn.microsoft.com/azure/nat-gateway/nat-overview).
        if let nat = subnet.natGateway, !NetworkModel.natGatewayProtocols.contains(packet.protocol) {
            hops.append(TraceHop(kind: "Internet", resource: subnet.displayName, result: "Deny",
                                 detail: "NAT gateway \(nat.name) carries TCP and UDP only; \(packet.protocol.rawValue) is dropped (docs/semantics.md#nat-gateway-protocols)"))
            return finish(.denied, "NAT gateway \(nat.name) does not carry \(packet.protocol.rawValue)", packet: packet)
        }
        if let nat = subnet.natGateway {
            let gateway = model.graph.resource(nat, as: NatGateway.self)
            publicSource = gateway?.publicIPAddresses.compactMap { model.graph.resource($0, as: PublicIPAddress.self)?.ipAddress }.first
            identity = "NAT gateway \(nat.name)"
        } else if let fw = state.firewallEgress {
            publicSource = fw.publicAddresses.first
            identity = "firewall \(fw.name) public IP \(publicSource?.description ?? "(unknown)")"
        } else if let pip = state.sourceEndpoint?.publicAddress {
            publicSource = pip
            identity = "NIC public IP \(pip)"
        } else if let nat = subnet.natGateway {
            let gateway = model.graph.resource(nat, as: NatGateway.self)
            publicSource = gateway?.publicIPAddresses.compactMap { model.graph.resource($0, as: PublicIPAddress.self)?.ipAddress }.first
            identity = "NAT gateway \(nat.name)"
        } else if subnet.defaultOutboundAccess {
            identity = "default outbound access (not recommended, docs/semantics.md#default-outbound-access)"
        }
        guard let identity else {
            hops.append(TraceHop(kind: "Internet", resource: subnet.displayName, result: "Deny",
                                 detail: "no outbound public identity (no PIP, NAT gateway, firewall; default outbound access off) (docs/semantics.md#default-outbound-access)"))
            return finish(.denied, "no outbound public identity for \(subnet.displayName)", packet: packet)
        }
        hops.append(TraceHop(kind: "Internet", resource: subnet.displayName, result: "Forward", detail: "leaves the VNet via \(identity)"))
        if let resource = state.publicEndpointOf {
            return publicEndpoint(packet, resource: resource, viaSubnet: nil, publicSource: publicSource, state: state)
        }
        // Egress is decided where the packet leaves: a public address of the estate itself is, from here, somewhere on
        // the Internet, and whether it accepts the packet is an inbound question with the translated source (a NIC
        // public IP, NAT gateway, firewall, or default outbound access's undisclosed address) that `reach` answers
        // for the `internet` source. So trace and reach agree on egress.
        if let ip = packet.destination.ip, let front = model.publicFronts[ip] {
            hops.append(TraceHop(kind: "PublicIP", resource: ip.description, result: "Note",
                                 detail: "\(ip) is the estate's own public IP (\(front.resource.name)); whether it accepts traffic from \(publicSource?.description ?? "the subnet's outbound address") is decided inbound: trace --from internet"))
            return finish(.allowed, "leaves Azure towards \(ip), the public IP of \(front.resource.name)", packet: packet)
        }
        return finish(.allowed, "leaves Azure towards \(packet.hostName ?? packet.destination.description)", packet: packet)
    }

    // MARK: Inbound from the Internet

    /// docs/semantics.md#nsg-translated-addresses, #default-route-override, #firewall-dnat, #public-fronts: only public fronts are reachable from the Internet.
    mutating func inboundFromInternet(_ packet: Packet, state: State) -> Trace {
        if let resource = state.publicEndpointOf {
            return publicEndpoint(packet, resource: resource, viaSubnet: nil, publicSource: packet.source.ip, state: state)
        }
        guard let ip = packet.destination.ip else {
            return finish(.allowed, "a public Internet destination (not in the model)", packet: packet)
        }
        if model.publicFronts[ip] == nil, let balanced = throughLoadBalancer(packet, to: ip, publicOnly: true, state: state) { return balanced }
        guard let front = model.publicFronts[ip] else {
            let isPrivate = !WellKnownRanges.publicUnicast.contains(ip.value)
            return finish(.denied, isPrivate ? "\(ip) is private: not reachable from the Internet" : "\(ip) is not a public IP of the model", packet: packet)
        }
        switch front.kind {
        case .networkInterface:
            guard let privateIP = front.privateAddress, let subnet = model.subnet(containing: privateIP) else {
                return finish(.denied, "public IP without a private address", packet: packet)
            }
            hops.append(TraceHop(kind: "PublicIP", resource: ip.description, result: "Translate",
                                 detail: "destination translated to \(privateIP) before inbound NSGs (docs/semantics.md#nsg-translated-addresses)"))
            var inner = packet
            inner.destination = .ip(privateIP)
            return deliverPrivate(inner, in: subnet.virtualNetwork, from: subnet, state: state)
        case .bastionHost:
            let ok = packet.protocol == .tcp && packet.destinationPort == 443
            hops.append(TraceHop(kind: "PublicIP", resource: front.resource.name, result: ok ? "Allow" : "Deny",
                                 detail: "Bastion accepts TCP 443 from the Internet (docs/semantics.md#bastion)"))
            guard ok else { return finish(.denied, "Bastion only listens on TCP 443", packet: packet) }
            if let bastion = model.endpoints.values.first(where: { $0.resource == front.resource }),
               let subnet = model.subnets[bastion.subnet], let nsg = subnet.networkSecurityGroup,
               let group = model.securityGroup(nsg, in: subnet.id, .inbound) {
                var inner = packet
                inner.destination = .ip(bastion.address)
                guard let rule = group.decide(inner) else { return finish(.denied, "no rule of \(nsg.name) matches (docs/semantics.md#nsg-protocols)", packet: packet) }
                hops.append(TraceHop(kind: "NSG", resource: nsg.name, rule: rule.name, result: rule.access.rawValue,
                                     detail: "AzureBastionSubnet NSG inbound (docs/semantics.md#bastion)"))
                if rule.access == .deny { return finish(.denied, "denied by \(nsg.name)/\(rule.name)", packet: packet) }
            }
            return finish(.allowed, "reaches Bastion \(front.resource.name) on 443", packet: packet)
        case .azureFirewall:
            guard let fw = model.firewalls.first(where: { $0.id == front.resource }) else { return finish(.denied, "firewall missing", packet: packet) }
            let decision = fw.decide(packet)
            hops.append(TraceHop(kind: "AzureFirewall", resource: fw.name, rule: decision.rule, result: decision.allowed ? "DNAT" : "Deny",
                                 detail: decision.allowed ? "DNAT to \(decision.dnat?.description ?? "?"):\(decision.dnatPort ?? packet.destinationPort) (docs/semantics.md#firewall-dnat)" : "no DNAT rule (docs/semantics.md#firewall-default-deny)"))
            guard decision.allowed, let translated = decision.dnat, let fwSubnet = model.subnets[fw.subnet] else {
                return finish(.denied, "firewall \(fw.name) has no DNAT rule for the packet", packet: packet)
            }
            var inner = packet
            inner.destination = .ip(translated)
            inner.destinationPort = decision.dnatPort ?? packet.destinationPort
            inner.source = .ip(fw.privateAddress)
            assumptions.append("DNAT traffic is SNATed to the firewall's private address so replies return through it")
            var next = State()
            next.snatted = true
            return forward(inner, at: fwSubnet, state: next)
        case .virtualNetworkGateway:
            let listeners = model.gatewayListeners(front.resource)
            let ok = listeners.contains { $0.protocol == packet.protocol && $0.port == packet.destinationPort }
            let ports = listeners.map { "\($0.protocol.rawValue.uppercased()) \($0.port)" }.joined(separator: ", ")
            hops.append(TraceHop(kind: "PublicIP", resource: front.resource.name, result: ok ? "Allow" : "Deny",
                                 detail: "the VPN gateway accepts \(ports) from the Internet (docs/semantics.md#vpn-gateway-front)"))
            guard ok else { return finish(.denied, "the VPN gateway only listens on \(ports)", packet: packet) }
            return finish(.allowed, "reaches VPN gateway \(front.resource.name), which terminates the tunnel", packet: packet)
        case .privateEndpoint:
            return finish(.denied, "\(front.resource.name) is not a data-path front", packet: packet)
        }
    }

    // MARK: PaaS public endpoints

    /// The service's own network rules at its public endpoint (publicNetworkAccess, ACLs, service endpoints, SEPs).
    mutating func publicEndpoint(_ packet: Packet, resource: ResourceID, viaSubnet: CompiledSubnet?, publicSource: IPv4Address?, state: State) -> Trace {
        let via = viaSubnet.map { "service endpoint from \($0.displayName)" } ?? "public IP \(publicSource?.description ?? "(unknown)")"
        func decide(_ allowed: Bool, _ why: String) -> Trace {
            hops.append(TraceHop(kind: "PublicEndpoint", resource: resource.name, result: allowed ? "Allow" : "Deny", detail: "\(why) (request from \(via))"))
            return finish(allowed ? .allowed : .denied, "\(resource.name) public endpoint: \(why)", packet: packet)
        }
        func aclDecision(_ publicAccess: EnablementState?, _ acl: NetworkACLs) -> Trace {
            if publicAccess == .disabled { return decide(false, "public network access disabled") }
            if acl.defaultAction == .allow { return decide(true, "network ACL default action Allow") }
            if let subnet = viaSubnet, acl.virtualNetworkRules.contains(subnet.id) { return decide(true, "virtual network rule for \(subnet.displayName)") }
            if let ip = publicSource, acl.ipRules.contains(where: { FirewallAddress.parse($0)?.contains(ip.value) ?? false }) {
                return decide(true, "IP rule matches \(ip)")
            }
            return decide(false, "network ACL default action Deny and no IP or VNet rule matches")
        }
        switch model.graph[resource] {
        case .storageAccount(let account):
            if let subnet = viaSubnet, let policy = model.serviceEndpointPolicy(on: subnet, service: "Microsoft.Storage", account: account.id),
               !policy.allowed {
                return decide(false, policy.reason)
            }
            return aclDecision(account.publicNetworkAccess, account.networkACLs)
        case .keyVault(let vault):
            return aclDecision(vault.publicNetworkAccess, vault.networkACLs)
        case .containerRegistry(let registry):
            var acl = NetworkACLs(defaultAction: registry.networkRuleDefaultAction)
            acl.ipRules = registry.ipRules
            return aclDecision(registry.publicNetworkAccess, acl)
        case .machineLearningWorkspace(let ws):
            if ws.publicNetworkAccess == .disabled { return decide(false, "public network access disabled") }
            if !ws.ipAllowlist.isEmpty {
                let ok = publicSource.map { ip in ws.ipAllowlist.contains { FirewallAddress.parse($0)?.contains(ip.value) ?? false } } ?? false
                return decide(ok, ok ? "IP allow list matches" : "IP allow list does not include the source")
            }
            return decide(true, "public network access enabled")
        default:
            assumptions.append("\(resource.name)'s own network rules are not modelled")
            return decide(true, "target not modelled; the network delivers the request")
        }
    }

    // MARK: Managed network

    /// docs/semantics.md#managed-network-modes, #managed-network-outbound-rules: compute in a workspace's managed VNet.
    mutating func managed(_ packet: Packet, workspace id: ResourceID) -> Trace {
        guard let ws = model.graph.resource(id, as: MachineLearningWorkspace.self) else {
            return finish(.denied, "workspace not in the model", packet: packet)
        }
        let mode = ws.managedNetwork.isolationMode
        guard mode != .disabled else { return finish(.denied, "\(ws.name) has no managed network (isolationMode Disabled, docs/semantics.md#managed-network-modes)", packet: packet) }
        let host = packet.hostName?.lowercased()
        // Private endpoints of the managed network (docs/semantics.md#managed-network-outbound-rules, #managed-network-provisioning).
        let targets = ManagedNetworkEngine.privateEndpointTargets(ws, graph: model.graph)
        if let host, let target = model.dns.publicName(for: host)?.resource, targets.contains(target) {
            if ws.managedNetwork.provisioned == false {
                hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, result: "Deny",
                                     detail: "managed network not provisioned yet: its private endpoints don't exist (docs/semantics.md#managed-network-provisioning)"))
                return finish(.denied, "managed network of \(ws.name) is not provisioned (docs/semantics.md#managed-network-provisioning)", packet: packet)
            }
            hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, rule: "PrivateEndpoint \(target.name)", result: "Allow",
                                 detail: "managed private endpoint to \(target.name) (docs/semantics.md#managed-network-outbound-rules)"))
            return finish(.allowed, "reaches \(target.name) through a managed private endpoint", packet: packet)
        }
        if mode == .allowInternetOutbound {
            hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, rule: "AllowInternetOutbound", result: "Allow",
                                 detail: "all outbound allowed in AllowInternetOutbound (docs/semantics.md#managed-network-outbound-rules)"))
            return finish(.allowed, "AllowInternetOutbound permits all outbound (docs/semantics.md#managed-network-outbound-rules)", packet: packet)
        }
        // AllowOnlyApprovedOutbound: service tags, then FQDN rules via the managed firewall (docs/semantics.md#managed-network-outbound-rules, #managed-network-fqdn-rules).
        var destination = packet.destination
        if let host, case .atom = destination {
            let answer = model.resolve(host, from: .internet)
            if let first = answer.addresses.first { destination = first }
        }
        let tagRules = ManagedNetworkEngine.userTagRules(ws) + ManagedNetworkEngine.requiredTags(region: ws.location)
        for rule in tagRules {
            let set = model.tags.resolve(rule.tag)
            if set.contains(destination), rule.protocols.contains(packet.protocol), rule.ports.contains(UInt32(packet.destinationPort)) {
                hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, rule: rule.name, result: rule.allow ? "Allow" : "Deny",
                                     detail: "ServiceTag rule \(rule.tag) (docs/semantics.md#managed-network-outbound-rules)"))
                return finish(rule.allow ? .allowed : .denied, "managed ServiceTag rule \(rule.name) (\(rule.tag))", packet: packet)
            }
        }
        if let host {
            for rule in ManagedNetworkEngine.fqdnRules(ws) where rule.pattern.matches(host) {
                guard rule.usable else {
                    hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, rule: rule.name, result: "Ignored",
                                         detail: "FQDN rules can't open Storage in approved-only mode (docs/semantics.md#managed-network-fqdn-rules)"))
                    continue
                }
                guard packet.protocol == .tcp, packet.destinationPort == 80 || packet.destinationPort == 443 else { continue }
                hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, rule: rule.name, result: "Allow",
                                     detail: "FQDN rule \(rule.pattern) through the managed Azure Firewall, ports 80/443 only (docs/semantics.md#managed-network-fqdn-rules)"))
                return finish(.allowed, "managed FQDN rule \(rule.name)", packet: packet)
            }
        }
        hops.append(TraceHop(kind: "ManagedNetwork", resource: ws.name, result: "Deny",
                             detail: "AllowOnlyApprovedOutbound: no outbound rule matches (docs/semantics.md#managed-network-outbound-rules)"))
        return finish(.denied, "no approved outbound rule matches (docs/semantics.md#managed-network-outbound-rules)", packet: packet)
    }

    // MARK: Finish

    mutating func finish(_ verdict: Verdict, _ reason: String, packet: Packet?, port: Int? = nil, proto: IPProtocol? = nil) -> Trace {
        var seen: Set<String> = []
        let unique = assumptions.filter { seen.insert($0).inserted }
        return Trace(verdict: verdict, source: sourceText.isEmpty ? "?" : sourceText,
                     destination: destinationText.isEmpty ? "?" : destinationText,
                     protocol: (packet?.protocol ?? proto ?? .tcp).rawValue, port: packet?.destinationPort ?? port ?? 0,
                     hops: hops, reason: reason, assumptions: unique)
    }
}
