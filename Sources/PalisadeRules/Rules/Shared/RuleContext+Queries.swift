import Foundation
import PalisadeModel

/// Graph queries several rules share; kept here so each rule file stays about one problem.
extension RuleContext {
    /// The private endpoints whose target is `resource`, sorted by ID.
    func privateEndpoints(targeting resource: ResourceID) -> [PrivateEndpoint] {
        graph.privateEndpoints(targeting: resource)
    }

    /// The VNet of every private endpoint that targets `resource`.
    func endpointNetworks(of resource: ResourceID) -> Set<ResourceID> {
        Set(privateEndpoints(targeting: resource).compactMap { $0.subnet?.parent })
    }

    /// The subnets an NSG is in effect for: subnets it is attached to, and the subnets of NICs it is attached to.
    func subnets(governedBy nsg: ResourceID) -> [Subnet] {
        let direct = graph.table("subnets by NSG") {
            Dictionary(grouping: graph.all(Subnet.self).filter { $0.networkSecurityGroup != nil }, by: { $0.networkSecurityGroup! })
        }[nsg] ?? []
        let viaNICs = graph.table("NICs by NSG") {
            Dictionary(grouping: graph.all(NetworkInterface.self).filter { $0.networkSecurityGroup != nil }, by: { $0.networkSecurityGroup! })
        }[nsg, default: []].flatMap { $0.ipConfigurations.compactMap(\.subnet) }
        var seen = Set(direct.map(\.id))
        var result = direct
        for id in viaNICs where !seen.contains(id) {
            seen.insert(id)
            if let subnet = graph.resource(id, as: Subnet.self) { result.append(subnet) }
        }
        return result.sorted { $0.id < $1.id }
    }

    /// Whether the subnet sends `Microsoft.Storage` service-endpoint traffic through a policy that limits the accounts.
    func hasStorageEndpointPolicy(_ subnet: Subnet) -> Bool {
        subnet.serviceEndpointPolicies.contains { id in
            guard let policy = graph.resource(id, as: ServiceEndpointPolicy.self) else { return true }  // defined elsewhere
            return policy.definitions.contains { $0.service.lowercased().hasPrefix("microsoft.storage") }
        }
    }
}

extension NetworkSecurityGroup {
    /// The rules of one direction in evaluation order: custom rules by priority, then Azure's defaults (docs/semantics.md#nsg-evaluation-order, #nsg-default-rules).
    func evaluationOrder(_ direction: SecurityRule.Direction) -> [SecurityRule] {
        securityRules.filter { $0.direction == direction }.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }
            + SecurityRule.defaultRules.filter { $0.direction == direction }
    }
}

extension SecurityRule {
    /// Whether the rule applies to TCP.
    var matchesTCP: Bool { self.protocol == .any || self.protocol == .tcp }

    /// One line describing the rule, for evidence.
    var summary: String {
        "\(name) (priority \(priority), \(direction.rawValue) \(access.rawValue) \(self.protocol.rawValue) " +
            "\(source.displayText) → \(destination.displayText):\(destinationPorts.displayText))"
    }
}

extension PortMatch {
    /// Whether `port` is matched.
    func contains(_ port: Int) -> Bool {
        switch self {
        case .any: true
        case .ranges(let ranges): ranges.contains { $0.contains(port) }
        }
    }
}

extension AddressMatch {
    /// The service tag, lower-cased, if this side is one.
    var tagName: String? {
        if case .serviceTag(let tag) = self { return tag.lowercased() }
        return nil
    }

    /// `*`, `Internet` or 0.0.0.0/0: anyone on the internet.
    var isInternetWide: Bool {
        switch self {
        case .any: true
        case .serviceTag(let tag): tag.lowercased() == "internet"
        case .prefixes(let prefixes): prefixes.contains { $0.length == 0 }
        default: false
        }
    }
}

/// Destinations that admit any storage account or any Front Door backend.
enum ExfiltrationDestination {
    /// Whether a service tag admits every storage account in a region or everywhere.
    static func isStorageTag(_ tag: String) -> Bool {
        let folded = tag.lowercased()
        return folded == "storage" || folded.hasPrefix("storage.")
    }

    /// Whether a service tag is one of the broad, writable tags the exfiltration guidance names.
    static func isExfiltrationTag(_ tag: String) -> Bool {
        isStorageTag(tag) || tag.lowercased() == "azurefrontdoor.frontend"
    }

    /// Whether an FQDN pattern (`*.blob.core.windows.net`, `*core.windows.net`, `*`) admits storage accounts anyone
    /// can create: it matches a made-up account name under some storage service domain.
    static func isStorageWildcard(_ fqdn: String) -> Bool {
        let folded = fqdn.lowercased().trimmingCharacters(in: .whitespaces)
        guard folded.hasPrefix("*") else { return false }
        let rest = String(folded.drop { $0 == "*" })
        return ["blob", "file", "queue", "table", "dfs", "web"].contains { service in
            "anyaccount.\(service).core.windows.net".hasSuffix(rest)
        }
    }
}

extension NetworkSecurityGroup {
    /// The first rule of `direction` matching `protocol` and `port` whose sides satisfy the predicates (docs/semantics.md#nsg-evaluation-order).
    func firstMatch(_ direction: SecurityRule.Direction, _ proto: NetworkProtocol, port: Int,
                    source: (AddressMatch) -> Bool, destination: (AddressMatch) -> Bool) -> SecurityRule? {
        evaluationOrder(direction).first { rule in
            (rule.protocol == .any || rule.protocol == proto) && rule.destinationPorts.contains(port)
                && source(rule.source) && destination(rule.destination)
        }
    }
}

extension AddressMatch {
    /// Whether this side covers traffic of a service tag's addresses: `*`, 0.0.0.0/0, the tag, its regional or
    /// global form, or a tag that contains every public Azure address (`Internet`, `AzureCloud`).
    func covers(tag: String) -> Bool {
        switch self {
        case .any: return true
        case .prefixes(let prefixes): return prefixes.contains { $0.length == 0 }
        case .serviceTag(let name):
            let have = name.lowercased(), want = tag.lowercased()
            return have == want || want.hasPrefix(have + ".") || have.hasPrefix(want + ".")
                || have == "internet" || have == "azurecloud" || have.hasPrefix("azurecloud.")
        default: return false
        }
    }

    /// Whether this side covers the addresses of `subnet` (`*`, `VirtualNetwork`, or a containing prefix).
    func covers(subnet: Subnet) -> Bool {
        switch self {
        case .any: return true
        case .serviceTag(let name): return name.lowercased() == "virtualnetwork"
        case .prefixes(let prefixes): return subnet.addressPrefixes.contains { s in prefixes.contains { $0.contains(s) } }
        default: return false
        }
    }
}
