import PalisadeModel
import PalisadeNetwork

/// A flow a fix must let through: from one source (in `subnet`) to one destination on one port.
struct RequiredFlow: Hashable, Sendable {
    /// Where the flow starts.
    var source: TraceSource
    /// The source's subnet (where egress is opened when the flow has no way out).
    var subnet: ResourceID
    /// Where it goes.
    var destination: TraceDestination
    /// Destination port.
    var port: Int
    /// Protocol.
    var proto: IPProtocol
    /// The name a firewall rule grants when the destination is a name traced through one representative host
    /// (`*.westeurope.batch.azure.com` for `node0.westeurope.batch.azure.com`); nil: the destination's own name.
    var grant: String? = nil
}

/// A changed graph that lets required flows through, with what it opens.
struct FlowOpening: Sendable {
    /// The graph after the change.
    var graph: ResourceGraph
    /// The destinations it opens (the fix's purpose).
    var opens: AddressSet
    /// Whether it grants host names (firewall application or FQDN rules).
    var opensNames: Bool
    /// What was changed, one phrase per step, in order.
    var steps: [String]
    /// Whether a subnet without a way out got one without a firewall (a NAT gateway or Internet routes).
    var createdEgress = false
}

/// Opens exactly the required flows at the hop that drops each of them, as the trace names it: an NSG allow rule
/// ahead of the denying rule (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules),
/// a firewall network rule for a service tag or address and an application rule for a host name
/// (https://learn.microsoft.com/azure/firewall/rule-processing), and where the subnet has no way out at all, either a
/// default route to the estate's firewall or, without one, a NAT gateway with routes that send only the required
/// service tags to the Internet and drop the rest (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes,
/// https://learn.microsoft.com/azure/nat-gateway/nat-overview). Each round re-traces on the changed graph, so a flow
/// dropped at a later hop is opened there next; nil when a drop cannot be opened narrowly (a host name without a
/// firewall, a hop of another kind).
enum FlowOpener {
    /// How a destination is matched by rules.
    enum Target: Hashable {
        /// A service tag.
        case tag(String)
        /// One address.
        case address(IPv4Address)
        /// A public host known only by name.
        case host(String)

        /// The destination as an NSG rule writes it; nil for a host name (an NSG cannot match names).
        var securityRuleDestination: AddressMatch? {
            switch self {
            case .tag(let tag): .serviceTag(tag)
            case .address(let ip): .prefixes([IPv4Prefix(ip, length: 32)])
            case .host: nil
            }
        }

        /// Letters and digits of the destination, for rule names.
        var label: String {
            switch self {
            case .tag(let tag): tag
            case .address(let ip): ip.description
            case .host(let name): name.replacingOccurrences(of: "*.", with: "any.")
            }
        }

        /// The addresses a rule for this target opens.
        var addresses: AddressSet {
            switch self {
            case .tag(let tag):
                let global = String(tag.split(separator: ".").first ?? Substring(tag))
                return AddressSet.atom(.tag(tag)).union(.atom(.tag(global)))
            case .address(let ip): return .address(ip)
            case .host(let name): return .atom(.host(name))
            }
        }
    }

    /// Tags a user-defined route cannot name (https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#service-tags-for-user-defined-routes).
    static let unroutableTags: Set<String> = ["azureplatformdns", "azureplatformimds", "azureplatformlkm", "virtualnetwork", "azureloadbalancer", "internet"]

    /// The graph changed so every flow of `flows` is allowed, or nil.
    static func open(_ flows: [RequiredFlow], in graph: ResourceGraph, rounds: Int = 6) -> FlowOpening? {
        var result = FlowOpening(graph: graph, opens: .empty, opensNames: false, steps: [])
        for _ in 0..<rounds {
            let network = NetworkModel.compile(result.graph)
            var blocked: [(RequiredFlow, Trace)] = []
            for flow in flows {
                let trace = network.trace(from: flow.source, to: flow.destination, port: flow.port, protocol: flow.proto)
                if trace.verdict != .allowed { blocked.append((flow, trace)) }
            }
            if blocked.isEmpty { return result.steps.isEmpty ? nil : result }
            let before = result.graph
            for (flow, trace) in blocked {
                guard let hop = trace.hops.last(where: { ["deny", "none"].contains($0.result.lowercased()) }) ?? trace.hops.last,
                      let targets = targets(of: flow, network: network)
                else { return nil }
                switch hop.kind {
                case "NSG":
                    guard allowInSecurityGroup(hop, flow: flow, targets: targets, result: &result) else { return nil }
                case "AzureFirewall":
                    guard allowInFirewall(hop, flow: flow, targets: targets, result: &result) else { return nil }
                case "Internet", "Route":
                    guard openEgress(of: flow.subnet, hop: hop, flows: [flow], targets: targets, network: network, result: &result) else { return nil }
                default:
                    return nil
                }
            }
            // A round that changes nothing would repeat itself.
            if result.graph == before { return nil }
        }
        return nil
    }

    /// What a flow's destination is, as rules match it: the service tag or address a name resolves to from the
    /// source's VNet, else the name.
    static func targets(of flow: RequiredFlow, network: NetworkModel) -> [Target]? {
        switch flow.destination {
        case .serviceTag(let tag): return [.tag(tag)]
        case .address(let ip): return [.address(ip)]
        case .name(let name):
            guard let vnet = network.subnets[flow.subnet]?.virtualNetwork else { return [.host(name)] }
            let answer = network.resolve(name, from: .virtualNetwork(vnet))
            var targets: [Target] = []
            for address in answer.addresses {
                let target: Target
                switch address {
                case .ip(let ip): target = .address(ip)
                case .atom(let atom): target = atom.kind == .tag ? .tag(atom.name) : .host(name)
                }
                if !targets.contains(target) { targets.append(target) }
            }
            return targets.isEmpty ? [.host(name)] : targets
        }
    }

    private static func note(_ step: String, _ result: inout FlowOpening) {
        if !result.steps.contains(step) { result.steps.append(step) }
    }

    private static func ruleName(_ parts: String...) -> String {
        parts.joined(separator: "-").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.reduce(into: "") { $0.append($1) }
    }

    /// An Allow rule for the flow in the NSG the hop names, ahead of the rule that denied it.
    private static func allowInSecurityGroup(_ hop: TraceHop, flow: RequiredFlow, targets: [Target], result: inout FlowOpening) -> Bool {
        let candidates = result.graph.all(NetworkSecurityGroup.self).filter { $0.name.lowercased() == hop.resource.lowercased() }
        let sourceSubnet = result.graph.resource(flow.subnet, as: Subnet.self)
        guard var nsg = candidates.first(where: { $0.id == sourceSubnet?.networkSecurityGroup }) ?? candidates.first,
              let subnet = sourceSubnet else { return false }
        let direction: SecurityRule.Direction = hop.detail.lowercased().contains("inbound") ? .inbound : .outbound
        let limit = nsg.securityRules.first { $0.name == hop.rule && $0.direction == direction }?.priority ?? 4097
        let proto: NetworkProtocol = flow.proto == .udp ? .udp : .tcp
        for target in targets {
            guard let destination = target.securityRuleDestination else { return false }
            let rule = SecurityRule(name: ruleName("Allow", target.label, "\(proto.rawValue)\(flow.port)", direction.rawValue), priority: 100,
                                    direction: direction, access: .allow, protocol: proto, source: .prefixes(subnet.addressPrefixes),
                                    destination: destination, destinationPorts: .ranges([PortRange(flow.port)]))
            let exists = nsg.securityRules.contains {
                $0.direction == rule.direction && $0.access == .allow && $0.protocol == rule.protocol && $0.source == rule.source
                    && $0.destination == rule.destination && $0.destinationPorts == rule.destinationPorts && $0.priority < limit
            }
            guard !exists else { continue }
            guard nsg.insert(rule, before: limit) else { return false }
            result.opens = result.opens.union(target.addresses)
        }
        let fixed = nsg
        result.graph.insert(fixed)
        note("allow \(direction.rawValue.lowercased()) from '\(subnet.name)' in '\(nsg.name)' ahead of '\(hop.rule ?? "the deny rule")'", &result)
        return true
    }

    /// A network rule (tag or address) or application rule (host name) for the flow in the firewall the hop names.
    private static func allowInFirewall(_ hop: TraceHop, flow: RequiredFlow, targets: [Target], result: inout FlowOpening) -> Bool {
        guard let firewall = result.graph.all(AzureFirewall.self).first(where: { $0.name.lowercased() == hop.resource.lowercased() }),
              let subnet = result.graph.resource(flow.subnet, as: Subnet.self) else { return false }
        let sources = subnet.addressPrefixes.map(\.description)
        var rules: [FirewallRule] = []
        var targets = targets
        // A name is granted as a name (an application rule, or an FQDN network rule through DNS proxy), not as the
        // service tag it resolves to: narrower, and tags such as AzureFrontDoor.Frontend admit anyone's backends.
        if case .name(let name) = flow.destination, flow.proto == .tcp {
            for target in targets { result.opens = result.opens.union(target.addresses) }
            targets = [.host(flow.grant ?? name)]
        }
        for target in targets {
            let name = ruleName(subnet.name, target.label, "\(flow.proto.rawValue.lowercased())\(flow.port)").lowercased()
            switch target {
            case .tag(let tag):
                rules.append(.network(NetworkRule(name: name, protocols: [flow.proto == .udp ? .udp : .tcp], sourceAddresses: sources,
                                                  destinationAddresses: [tag], destinationPorts: [String(flow.port)])))
            case .address(let ip):
                rules.append(.network(NetworkRule(name: name, protocols: [flow.proto == .udp ? .udp : .tcp], sourceAddresses: sources,
                                                  destinationAddresses: [ip.description], destinationPorts: [String(flow.port)])))
            case .host(let host):
                guard flow.proto == .tcp else { return false }
                if [80, 443].contains(flow.port) || flow.port >= 1024 {
                    let protocols: [ApplicationProtocol] = flow.port == 80 ? [.http] : [ApplicationProtocol("Https", flow.port)]
                    rules.append(.application(ApplicationRule(name: name, protocols: protocols, sourceAddresses: sources, targetFqdns: [host])))
                } else {
                    // Other protocols on a name (SMB 445 to a file share): an FQDN network rule, which needs DNS proxy
                    // (https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules).
                    rules.append(.network(NetworkRule(name: name, protocols: [.tcp], sourceAddresses: sources, destinationFqdns: [host],
                                                      destinationPorts: [String(flow.port)])))
                }
                result.opensNames = true
            }
            result.opens = result.opens.union(target.addresses)
        }
        let collectionName = "required-flows"
        func add(_ rules: [FirewallRule], to collections: inout [FirewallRuleCollection], priority: Int) {
            if let index = collections.firstIndex(where: { $0.name == collectionName }) {
                for rule in rules where !collections[index].rules.contains(where: { $0.name == rule.name }) { collections[index].rules.append(rule) }
            } else {
                collections.append(FirewallRuleCollection(name: collectionName, priority: priority, action: .allow, rules: rules))
            }
        }
        if let policyID = firewall.firewallPolicy, let policy = result.graph.resource(policyID, as: FirewallPolicy.self) {
            var copy = policy
            let networkRules = rules.filter { if case .network = $0 { true } else { false } }
            let applicationRules = rules.filter { if case .application = $0 { true } else { false } }
            var group = copy.ruleCollectionGroups.first { $0.name == collectionName }
                ?? FirewallRuleCollectionGroup(name: collectionName, priority: min(65000, (copy.ruleCollectionGroups.map(\.priority).max() ?? 100) + 100),
                                               ruleCollections: [])
            // Network rules are processed before application rules whatever their priority, so one group holds both.
            var collections = group.ruleCollections
            if !networkRules.isEmpty {
                var network = collections.filter { $0.name == collectionName }
                add(networkRules, to: &network, priority: 100)
                collections.removeAll { $0.name == collectionName }
                collections += network
            }
            if !applicationRules.isEmpty {
                let name = collectionName + "-names"
                if let index = collections.firstIndex(where: { $0.name == name }) {
                    for rule in applicationRules where !collections[index].rules.contains(where: { $0.name == rule.name }) { collections[index].rules.append(rule) }
                } else {
                    collections.append(FirewallRuleCollection(name: name, priority: 200, action: .allow, rules: applicationRules))
                }
            }
            group.ruleCollections = collections
            copy.ruleCollectionGroups.removeAll { $0.name == collectionName }
            copy.ruleCollectionGroups.append(group)
            result.graph.insert(copy)
            note("allow the required destinations from '\(subnet.name)' in firewall policy '\(policy.name)' (rule collection group '\(collectionName)')", &result)
        } else {
            var copy = firewall
            let networkRules = rules.filter { if case .network = $0 { true } else { false } }
            let applicationRules = rules.filter { if case .application = $0 { true } else { false } }
            if !networkRules.isEmpty {
                add(networkRules, to: &copy.networkRuleCollections, priority: (copy.networkRuleCollections.map(\.priority).max() ?? 100) + 100)
            }
            if !applicationRules.isEmpty {
                add(applicationRules, to: &copy.applicationRuleCollections, priority: (copy.applicationRuleCollections.map(\.priority).max() ?? 100) + 100)
            }
            result.graph.insert(copy)
            note("allow the required destinations from '\(subnet.name)' in firewall '\(firewall.name)' (rule collection '\(collectionName)')", &result)
        }
        return true
    }

    /// Outbound Allow rules for `flows` to `targets` in the subnet's NSG (created when it has none), and a Deny for
    /// the rest of the Internet after them.
    private static func restrictOutbound(of subnet: Subnet, to flows: [RequiredFlow], targets: [Target], result: inout FlowOpening) -> Bool {
        let location = result.graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
        var nsg = result.graph.resource(subnet.networkSecurityGroup, as: NetworkSecurityGroup.self)
            ?? NetworkSecurityGroup(id: subnet.id.sibling(namespace: "Microsoft.Network", type: "networkSecurityGroups",
                                                          name: "nsg-\(subnet.virtualNetwork.name)-\(subnet.name)".lowercased()), location: location)
        let denyName = "DenyOtherInternetOutbound"
        if !nsg.securityRules.contains(where: { $0.name == denyName }) {
            let deny = SecurityRule(name: denyName, priority: 4096, direction: .outbound, access: .deny, protocol: .any,
                                    source: .any, destination: .serviceTag("Internet"), destinationPorts: .any)
            guard let priority = nsg.freePriority(.outbound, from: 4000) else { return false }
            var placed = deny
            placed.priority = priority
            nsg.securityRules.append(placed)
        }
        let limit = nsg.securityRules.first { $0.name == denyName }?.priority ?? 4097
        for flow in flows {
            let proto: NetworkProtocol = flow.proto == .udp ? .udp : .tcp
            for target in targets {
                guard let destination = target.securityRuleDestination else { return false }
                let exists = nsg.securityRules.contains {
                    $0.direction == .outbound && $0.access == .allow && $0.protocol == proto && $0.destination == destination
                        && $0.destinationPorts == .ranges([PortRange(flow.port)]) && $0.priority < limit
                }
                if exists { continue }
                let rule = SecurityRule(name: ruleName("Allow", target.label, "\(proto.rawValue)\(flow.port)", "Outbound"), priority: 100,
                                        direction: .outbound, access: .allow, protocol: proto, source: .prefixes(subnet.addressPrefixes),
                                        destination: destination, destinationPorts: .ranges([PortRange(flow.port)]))
                guard nsg.insert(rule, before: limit) else { return false }
            }
        }
        let fixed = nsg
        result.graph.insert(fixed)
        if subnet.networkSecurityGroup != fixed.id { result.graph.update(subnet.id, as: Subnet.self) { $0.networkSecurityGroup = fixed.id } }
        note("allow only the required flows from '\(subnet.name)' to the Internet in '\(fixed.name)'", &result)
        return true
    }

    /// A way out for a subnet that has none: 0.0.0.0/0 to the estate's firewall when there is one, else a NAT
    /// gateway (when the subnet has no public identity) with a route per required service tag to the Internet and
    /// 0.0.0.0/0 to None, so nothing else leaves.
    private static func openEgress(of subnetID: ResourceID, hop: TraceHop, flows: [RequiredFlow], targets: [Target], network: NetworkModel,
                                   result: inout FlowOpening) -> Bool {
        guard let subnet = result.graph.resource(subnetID, as: Subnet.self) else { return false }
        let context = RuleContext(graph: result.graph, network: network)
        let table = result.graph.resource(subnet.routeTable, as: RouteTable.self)
        let defaultRoute = table?.routes.first { if case .prefix(let p) = $0.destination { p.length == 0 } else { false } }
        if defaultRoute == nil || defaultRoute?.nextHopType == .internet, let firewall = context.firewallAddress(for: subnet) {
            result.graph.routeDefault(of: subnet, to: firewall)
            note("route 0.0.0.0/0 from '\(subnet.name)' to the firewall (\(firewall))", &result)
            return true
        }
        result.createdEgress = true
        var routes: [Route] = []
        for target in targets {
            switch target {
            case .tag(let tag):
                guard !unroutableTags.contains(tag.lowercased()) else { return false }
                routes.append(Route(name: ruleName("to", tag).lowercased(), destination: .serviceTag(tag), nextHopType: .internet))
            case .address(let ip):
                guard !WellKnownRanges.nonPublic.contains(where: { $0.contains(ip) }) else { return false }
                routes.append(Route(name: ruleName("to", ip.description), destination: .prefix(IPv4Prefix(ip, length: 32)), nextHopType: .internet))
            case .host:
                return false
            }
            result.opens = result.opens.union(target.addresses)
        }
        // Routes send whole tags; the subnet's NSG narrows them to the required protocols and ports and denies the
        // rest of the Internet (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#service-tags).
        if !restrictOutbound(of: subnet, to: flows, targets: targets, result: &result) { return false }
        if hop.kind == "Internet", subnet.natGateway == nil {
            result.graph.attachNatGateway(to: subnet)
            note("attach a NAT gateway (with a Standard public IP) to '\(subnet.name)'", &result)
        }
        guard let current = result.graph.resource(subnetID, as: Subnet.self) else { return false }
        let closing = Route(name: "drop-other-internet", destination: .prefix(IPv4Prefix("0.0.0.0/0")!), nextHopType: .none)
        if let tableID = current.routeTable, result.graph.resource(tableID, as: RouteTable.self) != nil {
            result.graph.update(tableID, as: RouteTable.self) { table in
                for route in routes where !table.routes.contains(where: { $0.destination == route.destination }) { table.routes.append(route) }
                if !table.routes.contains(where: { $0.destination == closing.destination }) { table.routes.append(closing) }
            }
        } else {
            let tableID = current.id.sibling(namespace: "Microsoft.Network", type: "routeTables",
                                             name: "rt-\(current.virtualNetwork.name)-\(current.name)".lowercased())
            var created = RouteTable(id: tableID, location: result.graph.resource(current.virtualNetwork, as: VirtualNetwork.self)?.location)
            created.routes = routes + [closing]
            result.graph.insert(created)
            result.graph.update(current.id, as: Subnet.self) { $0.routeTable = tableID }
        }
        note("route only the required service tags from '\(subnet.name)' to the Internet and drop the rest (0.0.0.0/0 to None)", &result)
        return true
    }
}

extension RuleContext {
    /// For an estate without a firewall whose required flows include host names (which only a firewall's
    /// application rules allow narrowly): the spec edit that enables the planned Azure Firewall, whose policy
    /// carries the AML allow-list and whose routes take compute and jumpbox egress
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall). Egress through
    /// the allow-list is its purpose; `FixReview` verifies the re-planned spec. The planner places the firewall's
    /// subnet among the others, which may move their addresses, so no flow is held against the fix by address: the
    /// re-check rests on the findings and the built-in intents (compute sends only what is required or declared,
    /// nothing enters from the Internet but Bastion and the VPN gateway).
    ///
    /// For other inputs the same purpose is a model change: a firewall deployed in the VNet of the flows' subnets,
    /// their 0.0.0.0/0 routed to it, and rules for exactly `flows` in its policy.
    func enableSpecFirewall(for flows: [RequiredFlow] = []) -> FixProposal {
        var proposal = proposeSpecOnly("enable the Azure Firewall, which routes compute and jumpbox egress through the required allow-list",
                                       spec: [SpecPatch("firewall.enabled", "true")], opens: .all, opensNames: true)
        if let deployed = deployFirewall(for: flows) { proposal.forOtherInputs = [deployed] }
        return proposal
    }

    /// A firewall deployed for `flows` (all from subnets of one VNet): their subnets' 0.0.0.0/0 to it and its
    /// policy allowing exactly the flows; nil when there is no room or the flows still cannot pass.
    func deployFirewall(for flows: [RequiredFlow]) -> FixProposal? {
        let subnets = flows.map(\.subnet).reduce(into: [ResourceID]()) { if !$0.contains($1) { $0.append($1) } }
        guard let vnetID = subnets.first?.parent, subnets.allSatisfy({ $0.parent == vnetID }),
              let vnet = graph.resource(vnetID, as: VirtualNetwork.self) else { return nil }
        var changed = graph
        guard let (firewall, address) = changed.deployFirewall(in: vnetID) else { return nil }
        for id in subnets {
            guard let subnet = changed.resource(id, as: Subnet.self) else { return nil }
            changed.routeDefault(of: subnet, to: address)
        }
        guard let opening = FlowOpener.open(flows, in: changed) else { return nil }
        let firewallSubnet = AddressSet.subnets(opening.graph.subnets(of: vnetID).filter { $0.name.lowercased() == "azurefirewallsubnet" })
        let steps = ["deploy Azure Firewall '\(firewall.name)' (Standard, policy with threat intelligence Deny and DNS proxy) in a new AzureFirewallSubnet of '\(vnet.name)'",
                     "route 0.0.0.0/0 from \(subnets.map { "'\($0.name)'" }.joined(separator: ", ")) to the firewall (\(address))"] + opening.steps
        var proposal = FixProposal(summary: steps.joined(separator: "; "), graph: opening.graph, opens: firewallSubnet.union(opening.opens),
                                   opensNames: opening.opensNames)
        proposal.addedSources = ["\(vnet.name)/AzureFirewallSubnet"]
        return proposal
    }
}
