import PalisadeModel

/// A piece of a resource name: literal text, the environment name (a variable in every target) or the suffix of
/// globally unique names (derived from the environment name in every target).
enum NamePart: Hashable, Sendable {
    case literal(String)
    case environmentName
    case suffix
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
    /// The suffix globally unique names carry after the environment name (storage `st<name><suffix>`, key vault
    /// `kv-<name>-<suffix>`, registry `cr<name><suffix>`), if the graph's names have one. Rendered as an expression:
    /// the planned suffix for the planned name, a new one derived from any other name.
    let suffix: String?
    /// An existing VNet the deployment builds into (a landing zone's existing spoke): the graph holds its new and
    /// reused subnets but not the VNet, whose own side of each peering is rendered as a child resource.
    let existingSpoke: VirtualNetwork?
    /// Existing subnets of `existingSpoke` the deployment reuses: never created, only linked to the design's NSG and
    /// route table and updated with what the workspace needs of them. They are in `graph` so references resolve.
    let reusedSubnets: Set<ResourceID>
    /// Whether the resource group already exists (it holds an existing spoke VNet): used, never created.
    let resourceGroupExists: Bool

    /// The context for rendering `designed`: its deployable resources, plus the existing resource group and reused
    /// subnets the deployment builds into.
    init(designed full: ResourceGraph) {
        var graph = full.deployable
        let spoke = Self.existingSpokeNetwork(in: full)
        let reused = Set(full.all(Subnet.self).filter { full.isExisting($0.id) && $0.virtualNetwork == spoke?.id }.map(\.id))
        let group = full.all(ResourceGroup.self).first { full.isExisting($0.id) && spoke != nil }
        for id in reused.sorted() { if let resource = full[id] { graph.insert(resource) } }
        if let group { graph.insert(group) }
        self.init(graph: graph, existingSpoke: spoke, reusedSubnets: reused, resourceGroupExists: group != nil)
    }

    /// The existing VNet a graph builds into: an existing VNet holding a subnet the graph deploys, or an existing
    /// subnet linked to an NSG or route table the graph deploys (a platform hub holds neither).
    static func existingSpokeNetwork(in graph: ResourceGraph) -> VirtualNetwork? {
        graph.all(VirtualNetwork.self).first { vnet in
            graph.isExisting(vnet.id) && graph.subnets(of: vnet.id).contains { subnet in
                !graph.isExisting(subnet.id)
                    || [subnet.networkSecurityGroup, subnet.routeTable].contains { $0.map { graph[$0] != nil && !graph.isExisting($0) } ?? false }
            }
        }
    }

    init(graph: ResourceGraph, existingSpoke: VirtualNetwork? = nil, reusedSubnets: Set<ResourceID> = [], resourceGroupExists: Bool = false) {
        self.graph = graph
        self.existingSpoke = existingSpoke
        self.reusedSubnets = reusedSubnets
        self.resourceGroupExists = resourceGroupExists
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
        suffix = Self.uniqueNameSuffix(graph, name: name)
    }

    /// The text after the environment name in the storage account's, else the key vault's, else the registry's name
    /// (`st<name><suffix>`, `kv-<name>-<suffix>`, `cr<name><suffix>`): 1–8 lower-case letters or digits, or nil.
    static func uniqueNameSuffix(_ graph: ResourceGraph, name: String) -> String? {
        let candidates = graph.all(StorageAccount.self).map { ("st" + name, $0.name) }
            + graph.all(KeyVault.self).map { ("kv-\(name)-", $0.name) }
            + graph.all(ContainerRegistry.self).map { ("cr" + name, $0.name) }
        for (prefix, resourceName) in candidates where resourceName.hasPrefix(prefix) {
            let rest = resourceName.dropFirst(prefix.count)
            if (1...8).contains(rest.count), rest.allSatisfy({ ($0.isLowercase || $0.isNumber) && $0.isASCII }) {
                return String(rest)
            }
        }
        return nil
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
        return Self.split(text, on: name, suffix: suffix)
    }

    /// Splits a name at the first occurrence of `name` at a token boundary; a `suffix` right after it (directly or
    /// after a hyphen) ending the text becomes its own part.
    static func split(_ text: String, on name: String, suffix: String? = nil) -> [NamePart] {
        guard !name.isEmpty else { return [.literal(text)] }
        let characters = Array(text), needle = Array(name)
        var index = 0
        while index + needle.count <= characters.count {
            if Array(characters[index..<(index + needle.count)]) == needle {
                let before = index == 0 ? nil : characters[index - 1]
                let after = index + needle.count < characters.count ? characters[index + needle.count] : nil
                let prefix = String(characters[0..<index])
                let leftOK = before == nil || before == "-" || before == "_" || ["st", "cr"].contains(prefix)
                let rest = String(characters[(index + needle.count)...])
                let endsInSuffix = suffix.map { rest == $0 || rest == "-" + $0 } ?? false
                let rightOK = after == nil || after == "-" || after == "_" || after!.isNumber || endsInSuffix
                if leftOK, rightOK {
                    var parts: [NamePart] = []
                    if !prefix.isEmpty { parts.append(.literal(prefix)) }
                    parts.append(.environmentName)
                    if let suffix, rest == suffix {
                        parts.append(.suffix)
                    } else if let suffix, rest == "-" + suffix {
                        parts += [.literal("-"), .suffix]
                    } else if !rest.isEmpty {
                        parts.append(.literal(rest))
                    }
                    return parts
                }
            }
            index += 1
        }
        return [.literal(text)]
    }

    // MARK: - Values an imported template leaves to deployment

    /// Whether a GUID is one of the all-zero stand-ins the ARM importer evaluates `subscription().subscriptionId` and
    /// `subscription().tenantId` to when the template does not say which subscription it deploys to (no real
    /// subscription or tenant has such an ID). Rendered as the deploying subscription's or tenant's ID, which is
    /// what the template's expression means at deployment.
    /// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-scope#subscription
    static func isStandInID(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.count == 36 && lower.hasPrefix("00000000-0000-0000-0000-0000000000") && lower.suffix(2).allSatisfy(\.isNumber)
    }

    /// A tenant ID the graph states, or nil when it is a stand-in (then the deploying tenant's ID is rendered).
    func knownTenant(_ tenantID: String?) -> String? {
        guard let tenantID, !tenantID.isEmpty, !Self.isStandInID(tenantID) else { return nil }
        return tenantID
    }

    /// The pieces of a literal resource ID outside the graph: a stand-in subscription becomes the deploying
    /// subscription and the graph's own resource group (when the graph has no group resource) becomes the group the
    /// code creates or deploys into; everything else stays as written.
    enum IDPiece: Equatable {
        case text(String)
        case deployingSubscription
        case ownResourceGroup
    }

    func literalIDPieces(_ raw: String) -> [IDPiece] {
        let segments = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // ["", "subscriptions", "<sub>", "resourceGroups", "<rg>", ...]
        guard segments.count >= 3, segments[0].isEmpty, segments[1].lowercased() == "subscriptions" else { return [.text(raw)] }
        var pieces: [IDPiece] = [.text("/subscriptions/")]
        pieces.append(Self.isStandInID(segments[2]) ? .deployingSubscription : .text(segments[2]))
        var index = 3
        if segments.count >= 5, segments[3].lowercased() == "resourcegroups" {
            pieces.append(.text("/\(segments[3])/"))
            let own = resourceGroup == nil && segments[4].lowercased() == resourceGroupName.lowercased()
                && (Self.isStandInID(segments[2]) || graph.resources.contains { $0.id.subscriptionID == segments[2] })
            pieces.append(own ? .ownResourceGroup : .text(segments[4]))
            index = 5
        }
        if index < segments.count { pieces.append(.text("/" + segments[index...].joined(separator: "/"))) }
        // Merge adjacent text.
        var merged: [IDPiece] = []
        for piece in pieces {
            if case .text(let next) = piece, case .text(let previous)? = merged.last {
                merged[merged.count - 1] = .text(previous + next)
            } else {
                merged.append(piece)
            }
        }
        return merged
    }

    /// The last segment of a role definition ID (the role's GUID), whether the graph holds the GUID or a full ID.
    static func roleDefinitionGUID(_ roleDefinitionID: String) -> String {
        roleDefinitionID.split(separator: "/").last.map(String.init) ?? roleDefinitionID
    }

    /// Computes whose type the renderers cannot express: only AML compute clusters (`AmlCompute`) and compute
    /// instances (`ComputeInstance`) have a rendering; an attached compute (AKS, Kubernetes, a virtual machine,
    /// Databricks, Synapse, …) points at a resource the graph does not describe, so converting it would be a guess.
    /// https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces/computes
    var unconvertibleComputes: [MachineLearningCompute] {
        graph.all(MachineLearningCompute.self).filter { !["amlcompute", "computeinstance"].contains($0.computeType.lowercased()) }
    }

    /// DNAT rules without a destination (the firewall's public address) or a translated address or FQDN. An imported
    /// template often writes these as `reference(...)` to the public IP or a NIC, known only at deployment; the graph
    /// keeps no value, and a DNAT rule without them translates nothing (both are needed:
    /// https://learn.microsoft.com/azure/firewall/tutorial-firewall-dnat-policy).
    var unconvertibleNatRules: [String] {
        graph.all(FirewallPolicy.self).flatMap { policy in
            policy.ruleCollectionGroups.flatMap { group in
                group.ruleCollections.flatMap { collection in
                    collection.rules.compactMap { rule -> String? in
                        guard case .nat(let nat) = rule else { return nil }
                        var missing: [String] = []
                        if nat.destinationAddresses.isEmpty { missing.append("destination address") }
                        if nat.translatedAddress == nil, nat.translatedFqdn == nil { missing.append("translated address") }
                        guard !missing.isEmpty else { return nil }
                        return "DNAT rule '\(nat.name)' in rule collection '\(collection.name)' of group '\(group.name)' (firewall policy "
                            + "'\(policy.name)') has no \(missing.joined(separator: " and ")): the template computes "
                            + (missing.count == 1 ? "it" : "them") + " at deployment (for example from the firewall's public IP), "
                            + "so Palisade has no value to write. Supply the address as a parameter value, or deploy the template itself."
                    }
                }
            }
        }
    }

    /// Resources Palisade reads for its network proofs but has no rendering for (load balancers, on-premises sites
    /// and connections, DNS private resolvers and forwarding rulesets, Virtual Network Manager, Virtual WAN). In a
    /// landing-zone spec they are the platform's and marked existing, so they never reach a renderer; anywhere
    /// else, leaving them out would deploy a different network than the one proved.
    var unconvertiblePlatformResources: [String] {
        graph.resources.compactMap { resource -> String? in
            let kind: String
            switch resource {
            case .loadBalancer: kind = "load balancer"
            case .localNetworkGateway: kind = "local network gateway"
            case .virtualNetworkGatewayConnection: kind = "gateway connection"
            case .dnsResolver: kind = "DNS private resolver"
            case .dnsForwardingRuleset: kind = "DNS forwarding ruleset"
            case .networkManager: kind = "virtual network manager"
            case .virtualWAN: kind = "virtual WAN"
            case .virtualHub: kind = "virtual hub"
            default: return nil
            }
            return "\(kind) '\(resource.id.name)' is read for the network proofs, but Palisade has no rendering for it. "
                + "Deploy the template itself, or manage the \(kind) where it is owned and describe it in a landing-zone spec."
        }
    }

    /// One line per graph resource that cannot be converted faithfully, naming it and saying why; empty when the
    /// graph converts.
    var unconvertible: [String] {
        unconvertibleNatRules + unconvertiblePlatformResources + unconvertibleComputes.map { compute in
            "compute '\(compute.name)' in workspace '\(compute.workspace.name)' is an attached \(compute.computeType) compute; "
                + "only AmlCompute clusters and compute instances can be rendered. Remove it from "
                + "the template and attach the cluster after deployment, or deploy the template itself."
        }
    }

    /// Tag values that are the environment name, by key (rendered as the name variable so a rename renames them).
    func isEnvironmentName(_ tagValue: String) -> Bool { tagValue == name }

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
