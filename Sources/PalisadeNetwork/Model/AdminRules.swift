import PalisadeModel

/// A security admin rule compiled for one subnet and direction (docs/semantics.md#avnm-security-admin-rules).
public struct CompiledAdminRule: Sendable, Hashable {
    /// Rule name.
    public var name: String
    /// `manager/configuration/collection`, for explanations.
    public var collection: String
    /// Priority (1 first).
    public var priority: Int
    /// Allow, Always Allow or Deny.
    public var action: AdminRule.Action
    /// The packets the rule matches.
    public let match: PacketSet
}

/// The security admin rules that apply to one subnet in one direction, in evaluation order: lowest priority
/// number first across every rule collection that targets the subnet's VNet
/// (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins).
public struct CompiledAdminRules: Sendable, Hashable {
    /// Rules in evaluation order.
    public var rules: [CompiledAdminRule]

    /// The first rule that matches the packet, if any; none means the NSGs decide alone.
    public func decide(_ packet: Packet) -> CompiledAdminRule? { rules.first { $0.match.contains(packet) } }

    /// Splits flows by the first matching admin rule: Always Allow skips the NSGs, Deny drops, Allow and
    /// unmatched packets go on to the NSGs. `sourceOverride` is the SNAT address the rules see, if any.
    public func split(_ flows: PacketSet, sourceOverride: IPv4Address? = nil) -> (alwaysAllowed: PacketSet, toSecurityGroups: PacketSet) {
        var remaining = flows
        var always = PacketSet.empty
        var onward = PacketSet.empty
        for rule in rules {
            if remaining.isEmpty { break }
            let hit = remaining.intersection(rule.match.viewed(withSource: sourceOverride))
            if hit.isEmpty { continue }
            switch rule.action {
            case .alwaysAllow: always = always.appendingDisjoint(hit)
            case .allow: onward = onward.appendingDisjoint(hit)
            case .deny: break
            }
            remaining = remaining.subtracting(hit)
        }
        return (always, onward.appendingDisjoint(remaining))
    }
}

extension NetworkModel {
    /// The security admin rules in force for a subnet in one direction, if any apply (docs/semantics.md#avnm-security-admin-rules).
    public func adminRules(in subnet: ResourceID, _ direction: SecurityRule.Direction) -> CompiledAdminRules? {
        adminRules[AdminRuleKey(subnet: subnet, direction: direction)]
    }
}

/// Where compiled admin rules are kept: per subnet (tags such as `VirtualNetwork` are per subnet) and direction.
struct AdminRuleKey: Hashable, Sendable {
    var subnet: ResourceID
    var direction: SecurityRule.Direction
}

extension NetworkModelBuilder {
    /// Compiles every security admin rule for the subnets of the VNets (or the subnets) its collection's network
    /// groups hold, for network managers whose scope access includes `SecurityAdmin`
    /// (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins). Configurations are taken
    /// as deployed; dynamic (Azure Policy) group membership is not read.
    func compileAdminRules(subnets: [ResourceID: CompiledSubnet], tags: TagResolver) -> [AdminRuleKey: CompiledAdminRules] {
        struct Pending { var rule: AdminRule; var collection: String; var order: (ResourceID, String) }
        var bySubnet: [ResourceID: [Pending]] = [:]
        let subnetsByVNet = Dictionary(grouping: subnets.values, by: \.virtualNetwork)
        for manager in graph.all(NetworkManager.self) where manager.allows("SecurityAdmin") {
            for configuration in manager.securityAdminConfigurations {
                for collection in configuration.ruleCollections {
                    var targets: Set<ResourceID> = []
                    for groupID in collection.appliesToGroups {
                        guard let group = manager.networkGroup(groupID) else { continue }
                        for member in group.staticMembers {
                            if group.memberType.lowercased() == "subnet" {
                                if subnets[member] != nil { targets.insert(member) }
                            } else {
                                for subnet in subnetsByVNet[member] ?? [] { targets.insert(subnet.id) }
                            }
                        }
                    }
                    let label = "\(manager.name)/\(configuration.name)/\(collection.name)"
                    for subnet in targets {
                        bySubnet[subnet, default: []] += collection.rules.map { Pending(rule: $0, collection: label, order: (collection.id, $0.name)) }
                    }
                }
            }
        }
        var result: [AdminRuleKey: CompiledAdminRules] = [:]
        for (subnetID, pending) in bySubnet {
            guard let subnet = subnets[subnetID] else { continue }
            let ordered = pending.sorted { ($0.rule.priority, $0.order.0, $0.order.1) < ($1.rule.priority, $1.order.0, $1.order.1) }
            for direction in SecurityRule.Direction.allCases {
                let rules = ordered.filter { $0.rule.direction == direction }.map { entry in
                    CompiledAdminRule(name: entry.rule.name, collection: entry.collection, priority: entry.rule.priority,
                                      action: entry.rule.action, match: PacketSet(adminCube(entry.rule, subnet: subnet, tags: tags)))
                }
                if !rules.isEmpty { result[AdminRuleKey(subnet: subnetID, direction: direction)] = CompiledAdminRules(rules: rules) }
            }
        }
        return result
    }

    /// One admin rule's match; an empty address list means any address.
    func adminCube(_ rule: AdminRule, subnet: CompiledSubnet, tags: TagResolver) -> PacketCube {
        func side(_ items: [AdminRule.Address]) -> AddressSet {
            if items.isEmpty { return .all }
            return items.reduce(AddressSet.empty) { set, item in
                switch item {
                case .any: return .all
                case .prefix(let prefix): return set.union(.prefixes([prefix]))
                case .serviceTag(let tag): return set.union(addressSet(.serviceTag(tag), subnet: subnet, tags: tags, asgMembers: [:]))
                case .unresolved: return set
                }
            }
        }
        return PacketCube(source: side(rule.sources), destination: side(rule.destinations),
                          protocols: ProtocolSet(nsg: rule.protocol, anyCoversIPsec: options.nsgAnyCoversIPsec),
                          sourcePorts: IntervalSet(ports: rule.sourcePorts), destinationPorts: IntervalSet(ports: rule.destinationPorts))
    }

    /// Service tags the admin rules name (for the symbolic atom universe).
    func adminRuleTags() -> Set<String> {
        var tags: Set<String> = []
        for manager in graph.all(NetworkManager.self) {
            for rule in manager.securityAdminConfigurations.flatMap({ $0.ruleCollections.flatMap(\.rules) }) {
                for case .serviceTag(let tag) in rule.sources + rule.destinations { tags.insert(tag) }
            }
        }
        return tags
    }
}
