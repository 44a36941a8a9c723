import PalisadeModel

/// A piece of a resource name: literal text or the environment name (a variable in every target).
enum NamePart: Hashable, Sendable {
    case literal(String)
    case environmentName
}

/// What every renderer needs to know about a graph: the environment's name, region, address space and how
/// each resource name is built from the name variable.
struct RenderContext: Sendable {
    let graph: ResourceGraph
    /// The environment name (the `name` variable's default).
    let name: String
    /// The region (the `location` variable's default).
    let location: String
    /// The VNet address space (the `address_space` variable's default), if the graph has one VNet.
    let addressSpace: IPv4Prefix?
    /// The single virtual network, if any.
    let virtualNetwork: VirtualNetwork?
    /// Tags most resources carry, emitted once as a shared value.
    let commonTags: [String: String]
    /// The resource group, if the graph has one.
    let resourceGroup: ResourceGroup?
    /// The resource group's name: the group's, or the one the resources' IDs name (imported graphs carry no
    /// group resource).
    let resourceGroupName: String

    init(graph: ResourceGraph) {
        self.graph = graph
        let group = graph.all(ResourceGroup.self).first
        resourceGroup = group
        let networks = graph.all(VirtualNetwork.self)
        virtualNetwork = networks.first
        addressSpace = networks.count == 1 ? networks.first?.addressSpace.first : nil
        // Imported graphs have no group resource: use the tags most resources share.
        let sharedTags = group?.tags ?? Self.mostCommonTags(graph)
        name = sharedTags["environment"]
            ?? group.map { $0.name.hasPrefix("rg-") ? String($0.name.dropFirst(3)) : $0.name } ?? "palisade"
        location = group?.location ?? graph.resources.compactMap(\.payload.location).first { $0 != "global" } ?? "westeurope"
        commonTags = sharedTags
        resourceGroupName = group?.name ?? graph.resources.lazy.compactMap(\.id.resourceGroupName).first ?? "rg-\(name)"
    }

    /// The tag set carried by the most resources (ties broken by the sorted text), or none.
    static func mostCommonTags(_ graph: ResourceGraph) -> [String: String] {
        var counts: [String: (tags: [String: String], count: Int)] = [:]
        for resource in graph.resources where !resource.payload.tags.isEmpty {
            let key = resource.payload.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
            counts[key, default: (resource.payload.tags, 0)].count += 1
        }
        return counts.sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }.first?.value.tags ?? [:]
    }

    /// The resource's name as parts: the first occurrence of the environment name at a token boundary
    /// becomes the variable. DNS zones, GUID-named and child resources of fixed meaning keep literal names.
    func nameParts(_ id: ResourceID) -> [NamePart] {
        let text = id.name
        switch id.resourceType {
        case .privateDnsZone?, .roleAssignment?, .diagnosticSetting?, .keyVaultSecret?: return [.literal(text)]
        default: break
        }
        return Self.split(text, on: name)
    }

    static func split(_ text: String, on name: String) -> [NamePart] {
        guard !name.isEmpty else { return [.literal(text)] }
        let characters = Array(text), needle = Array(name)
        var index = 0
        while index + needle.count <= characters.count {
            if Array(characters[index..<(index + needle.count)]) == needle {
                let before = index == 0 ? nil : characters[index - 1]
                let after = index + needle.count < characters.count ? characters[index + needle.count] : nil
                let prefix = String(characters[0..<index])
                let leftOK = before == nil || before == "-" || before == "_" || ["st", "cr"].contains(prefix)
                let rightOK = after == nil || after == "-" || after == "_" || after!.isNumber
                if leftOK, rightOK {
                    var parts: [NamePart] = []
                    if !prefix.isEmpty { parts.append(.literal(prefix)) }
                    parts.append(.environmentName)
                    let rest = String(characters[(index + needle.count)...])
                    if !rest.isEmpty { parts.append(.literal(rest)) }
                    return parts
                }
            }
            index += 1
        }
        return [.literal(text)]
    }

    /// `(newbits, netnum)` locating `prefix` inside the address space, for `cidrsubnet`/`cidrSubnet`.
    func cidrSubnet(_ prefix: IPv4Prefix) -> (newBits: Int, netNum: Int)? {
        guard let space = addressSpace, space.contains(prefix) else { return nil }
        let newBits = prefix.length - space.length
        let netNum = Int((prefix.network.value - space.network.value) >> UInt32(32 - prefix.length))
        return (newBits, netNum)
    }

    /// Log categories a diagnostic setting can send for its target: a storage account's logs live on its
    /// blob/file/queue/table services, so the account-level setting carries metrics only.
    func logCategories(_ setting: DiagnosticSetting) -> [String] {
        setting.target.resourceType == .storageAccount ? [] : setting.logCategories
    }

    /// Subnets of the graph sorted by ID.
    var subnets: [Subnet] { graph.all(Subnet.self) }

    /// The subnet whose prefix is exactly `text`, if any (firewall rule sources, NSG prefixes).
    func subnet(withPrefix text: String) -> Subnet? {
        guard let prefix = IPv4Prefix(text) else { return nil }
        return subnets.first { $0.addressPrefixes.first == prefix }
    }
}
