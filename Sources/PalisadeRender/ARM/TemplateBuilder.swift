import PalisadeModel

/// Turns the graph into template resources shared by the ARM and Bicep renderers.
struct TemplateBuilder {
    let context: RenderContext
    var graph: ResourceGraph { context.graph }
    /// Symbolic names (Bicep) by resource ID; also the stem of ARM variable names.
    private(set) var symbols: [ResourceID: String] = [:]

    init(context: RenderContext) {
        self.context = context
        let tf = TerraformSymbols(context: context)
        var used: Set<String> = []
        let spoke = context.existingSpoke.map { [$0.asResource] } ?? []
        for resource in spoke + context.graph.resources {
            guard Self.isTemplated(resource) || Self.isStandaloneSubnet(resource, in: context) else { continue }
            let entry = tf.entry(resource.id) ?? ("opaque", TerraformSymbols.sanitize(resource.id.name))
            let stem = resource.id == context.existingSpoke?.id ? "spokeVnet" : entry.label == "main" ? Self.mainStem(resource) : entry.label
            var symbol = Self.camel(stem)
            if resource.type == .keyVaultSecret || resource.type == .privateDnsZone { symbol = Self.camel(entry.label) }
            if ["resource", "param", "var", "output", "module", "targetScope", "existing", "if", "for"].contains(symbol) { symbol += "Resource" }
            var candidate = symbol, counter = 2
            while used.contains(candidate) {
                candidate = "\(symbol)\(counter)"
                counter += 1
            }
            used.insert(candidate)
            symbols[resource.id] = candidate
        }
    }

    /// The symbol stem for the only resource of its kind.
    static func mainStem(_ resource: Resource) -> String {
        switch resource {
        case .virtualNetwork: "vnet"
        case .azureFirewall: "firewall"
        case .bastionHost: "bastion"
        case .virtualNetworkGateway: "vpnGateway"
        case .networkInterface: "jumpboxNic"
        case .virtualMachine: "jumpbox"
        case .machineLearningWorkspace: "workspace"
        case .storageAccount: "storageAccount"
        case .keyVault: "keyVault"
        case .containerRegistry: "containerRegistry"
        case .cognitiveServicesAccount: "openAI"
        case .applicationInsights: "appInsights"
        case .logAnalyticsWorkspace: "logAnalytics"
        case .monitorPrivateLinkScope: "privateLinkScope"
        case .userAssignedIdentity: "userIdentity"
        case .serviceEndpointPolicy: "serviceEndpointPolicy"
        default: String(resource.type.segments.last ?? "resource")
            .replacingOccurrences(of: "ies$", with: "y", options: .regularExpression)
            .replacingOccurrences(of: "([^s])s$", with: "$1", options: .regularExpression)
        }
    }

    /// An untyped resource is rendered verbatim when it is top-level and its API version is known.
    static func isRenderableOpaque(_ opaque: OpaqueResource) -> Bool {
        opaque.apiVersion != nil && opaque.type.segments.count == 1 && opaque.id.resourceGroupName != nil
    }

    /// A JSON value as a template value, object keys sorted (deterministic output).
    static func templateValue(_ json: JSONValue) -> TemplateValue {
        switch json {
        case .null: .string("")
        case .bool(let flag): .bool(flag)
        case .integer(let number): .int(Int(number))
        case .number(let number): .string(String(number))
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(templateValue))
        case .object(let members): .object(members.sorted { $0.key < $1.key }.map { ($0.key, templateValue($0.value)) })
        }
    }

    /// Whether a graph resource becomes a template resource (the group is the deployment scope; subnets are inline).
    static func isTemplated(_ resource: Resource) -> Bool {
        switch resource {
        case .resourceGroup, .subnet: false
        case .loadBalancer, .localNetworkGateway, .virtualNetworkGatewayConnection, .dnsResolver, .dnsForwardingRuleset: false
        // Platform-owned resources (Virtual Network Manager, Virtual WAN) are read, never rendered.
        case .networkManager, .virtualWAN, .virtualHub: false
        case .opaque(let opaque): isRenderableOpaque(opaque)
        default: true
        }
    }

    static func camel(_ snake: String) -> String {
        let parts = snake.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).map(String.init)
        guard let first = parts.first else { return "resource" }
        let head = first.prefix(1).lowercased() + first.dropFirst()
        let tail = parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let text = ([head] + tail).joined()
        return text.first!.isNumber ? "r" + text : text
    }

    /// Whether a resource is part of the template (so references become expressions).
    func contains(_ id: ResourceID) -> Bool { symbols[id] != nil || isSubnet(id) }

    /// Whether `id` is a subnet written inline in its VNet's template resource.
    func isSubnet(_ id: ResourceID) -> Bool {
        guard let subnet = graph.resource(id, as: Subnet.self) else { return false }
        return graph[subnet.virtualNetwork] != nil
    }

    /// A subnet of a VNet the template does not deploy (an existing spoke VNet): a child resource of its own,
    /// `Microsoft.Network/virtualNetworks/subnets` (https://learn.microsoft.com/azure/templates/microsoft.network/virtualnetworks/subnets).
    static func isStandaloneSubnet(_ resource: Resource, in context: RenderContext) -> Bool {
        guard case .subnet(let subnet) = resource else { return false }
        return context.graph[subnet.virtualNetwork] == nil && subnet.virtualNetwork == context.existingSpoke?.id
    }

    // MARK: - Values

    func id(_ id: ResourceID?) -> TemplateValue? {
        guard let id else { return nil }
        if id == context.resourceGroup?.id { return .function("resourceGroup().id") }
        if contains(id) { return .idOf(id) }
        return literalID(id.rawValue)
    }

    /// A resource ID outside the template: a stand-in subscription is the deploying subscription and the graph's
    /// own group the deployment's group (`subscription()`, `resourceGroup()`); the rest is kept as written.
    func literalID(_ raw: String) -> TemplateValue {
        let pieces = context.literalIDPieces(raw)
        if pieces == [.text(raw)] { return .string(raw) }
        if pieces.last == .ownResourceGroup { return .function("resourceGroup().id") }
        return .concat(pieces.map { piece in
            switch piece {
            case .text(let text): .string(text)
            case .deployingSubscription: .function("subscription().subscriptionId")
            case .ownResourceGroup: .function("resourceGroup().name")
            }
        })
    }

    /// A tenant ID: the graph's, or the deploying tenant's when the graph has none or a stand-in.
    func tenant(_ tenantID: String?) -> TemplateValue {
        context.knownTenant(tenantID).map { .string($0) } ?? .function("subscription().tenantId")
    }

    /// A string from an imported resource's properties: a stand-in tenant is the deploying tenant, a resource ID
    /// goes through `literalID`.
    func importedString(_ text: String) -> TemplateValue {
        if RenderContext.isStandInID(text) {
            // The importer's stand-ins: ...0001 for the tenant, ...0000 for the subscription.
            return text.hasSuffix("1") ? .function("subscription().tenantId") : .function("subscription().subscriptionId")
        }
        if text.lowercased().hasPrefix("/subscriptions/") { return literalID(text) }
        return .string(text)
    }

    /// A JSON value of an imported resource as a template value, object keys sorted; strings as `importedString`.
    func importedValue(_ json: JSONValue) -> TemplateValue {
        switch json {
        case .string(let text): importedString(text)
        case .array(let items): .array(items.map(importedValue))
        case .object(let members): .object(members.sorted { $0.key < $1.key }.map { ($0.key, importedValue($0.value)) })
        default: Self.templateValue(json)
        }
    }

    func idObject(_ id: ResourceID?) -> TemplateValue? {
        guard let value = self.id(id) else { return nil }
        return .object([("id", value)])
    }

    func prefix(_ prefix: IPv4Prefix) -> TemplateValue {
        if prefix == context.addressSpace { return .parameter("addressSpace") }
        if let (bits, number) = context.cidrSubnet(prefix) {
            return .cidrSubnet(length: (context.addressSpace?.length ?? 0) + bits, index: number)
        }
        return .string(prefix.description)
    }

    func address(_ text: String) -> TemplateValue {
        if let prefix = IPv4Prefix(text), prefix.length < 32, context.addressSpace?.contains(prefix) == true {
            return self.prefix(prefix)
        }
        return .string(text)
    }

    func tags(_ tags: [String: String], of id: ResourceID? = nil) -> TemplateValue? {
        if tags.isEmpty { return nil }
        if let type = id?.resourceType, type == .roleAssignment || type == .diagnosticSetting { return nil }
        if tags == context.commonTags { return .variable("resourceTags") }
        return tagObject(tags)
    }

    /// A tag map with keys sorted; a value that is the environment name is the `name` parameter.
    func tagObject(_ tags: [String: String]) -> TemplateValue {
        .object(tags.sorted { $0.key < $1.key }.map { ($0.key, context.isEnvironmentName($0.value) ? .parameter("name") : .string($0.value)) })
    }

    /// Variables every template declares before the resource names: the tags on every resource (the `tags`
    /// parameter plus the tags whose value is the name) and the suffix of globally unique names.
    ///
    /// The suffix is the planned one for the planned name, else the first 4 characters of `uniqueString` of the
    /// subscription and the name (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#uniquestring).
    var sharedVariables: [(name: String, value: TemplateValue)] {
        let nameTags = context.commonTags.filter { context.isEnvironmentName($0.value) }.sorted { $0.key < $1.key }
        let tagsValue: TemplateValue = nameTags.isEmpty ? .parameter("tags")
            : .call("union", [.parameter("tags"), .object(nameTags.map { ($0.key, .parameter("name")) })])
        var variables: [(name: String, value: TemplateValue)] = [("resourceTags", tagsValue)]
        if let suffix = context.suffix {
            variables.append(("suffix", .ifEquals(.parameter("name"), .string(context.name), then: .string(suffix),
                                                  else: .call("take", [.call("uniqueString", [.function("subscription().subscriptionId"), .parameter("name")]), .int(4)]))))
        }
        return variables
    }

    func identity(_ identity: ManagedIdentity) -> TemplateValue? {
        guard identity != .none else { return nil }
        var members: [(String, TemplateValue)] = [("type", .string(identity.armType.replacingOccurrences(of: ",", with: ", ")))]
        if !identity.userAssigned.isEmpty { members.append(("userAssignedIdentities", .identityMap(identity.userAssigned))) }
        return .object(members)
    }

    /// The templated name parts of a resource.
    func nameValue(_ id: ResourceID) -> TemplateValue {
        let parts = context.nameParts(id)
        guard parts.contains(.environmentName) else { return .string(id.name) }
        return .concat(parts.map { part in
            switch part {
            case .literal(let text): .string(text)
            case .environmentName: .parameter("name")
            case .suffix: .variable("suffix")
            }
        })
    }

    /// The dependency of a reference: subnets are inline in their VNet.
    func dependency(_ id: ResourceID) -> ResourceID? {
        if isSubnet(id) { return graph.resource(id, as: Subnet.self)?.virtualNetwork }
        if id == context.existingSpoke?.id { return nil }  // exists before the deployment
        // A subnet of an existing VNet is ready once every operation on that VNet is done (they run in a chain, see
        // `existingSpokeResources`), as a subnet written inline is ready with its VNet.
        if let spoke = context.existingSpoke, graph.resource(id, as: Subnet.self)?.virtualNetwork == spoke.id {
            return Self.lastOperation(on: spoke, in: graph)
        }
        if id == context.resourceGroup?.id { return nil }
        return symbols[id] != nil ? id : nil
    }

    /// The last of the chained operations on an existing VNet: its last peering, else its last subnet.
    static func lastOperation(on vnet: VirtualNetwork, in graph: ResourceGraph) -> ResourceID? {
        vnet.peerings.last.map { vnet.id.child("virtualNetworkPeerings", $0.name) } ?? graph.subnets(of: vnet.id).last?.id
    }

    func dependencies(_ ids: [ResourceID], excluding own: ResourceID) -> [ResourceID] {
        var seen: Set<ResourceID> = []
        return ids.compactMap(dependency).filter { $0 != own && seen.insert($0).inserted }.sorted()
    }
}
