import PalisadeModel

/// What a landing-zone spoke asks of the platform team: the rule collection groups that existing firewall policies
/// in the graph hold (the allow-list a standalone design puts on its own firewall) and, with Virtual WAN, the spoke's
/// hub virtual network connection (a child of the platform's hub) or, with a hub VNet, the hub's side of the peering,
/// rendered as a separate artefact
/// under `platform-team/` that deploys into the platform's subscription and resource group, never with the spoke.
///
/// Rule collection groups are child resources of a firewall policy
/// (https://learn.microsoft.com/azure/templates/microsoft.network/firewallpolicies/rulecollectiongroups), so the
/// platform team adds this group to its existing policy without redeploying the policy
/// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/firewall_policy_rule_collection_group).
struct PlatformTeamArtefact {
    /// The folder the artefact goes to, relative to the render output.
    static let folder = "platform-team"

    /// Existing policies and the groups they hold, sorted by policy ID.
    let policies: [FirewallPolicy]
    /// Connections of existing virtual hubs to VNets the deployment creates (a spoke's hub virtual network
    /// connection is a child of the platform's hub, so the platform team creates it), sorted by hub.
    let connections: [(hub: VirtualHub, connection: HubVirtualNetworkConnection)]
    /// Peerings of existing VNets to VNets the deployment creates: the hub's side of a spoke's peering, which only
    /// the hub's owner can create (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering).
    let peerings: [(hub: VirtualNetwork, peering: VirtualNetworkPeering)]
    /// The existing spoke VNet the deployment builds into, if any.
    let existingSpoke: ResourceID?

    init(graph: ResourceGraph) {
        policies = graph.all(FirewallPolicy.self).filter { graph.isExisting($0.id) && !$0.ruleCollectionGroups.isEmpty }
        // The spoke is a VNet the deployment creates, or an existing one it builds into.
        let spoke = RenderContext.existingSpokeNetwork(in: graph)?.id
        func isSpoke(_ id: ResourceID) -> Bool { graph[id] != nil && (!graph.isExisting(id) || id == spoke) }
        connections = graph.all(VirtualHub.self).filter { graph.isExisting($0.id) }.flatMap { hub in
            hub.virtualNetworkConnections.filter { isSpoke($0.remoteVirtualNetwork) }.map { (hub, $0) }
        }
        peerings = graph.all(VirtualNetwork.self).filter { graph.isExisting($0.id) && $0.id != spoke }.flatMap { hub in
            hub.peerings.filter { isSpoke($0.remoteVirtualNetwork) }.map { (hub, $0) }
        }
        existingSpoke = spoke
    }

    /// The spoke VNets the artefact names, each an input.
    private var spokes: [ResourceID] {
        Array(Set(connections.map(\.connection.remoteVirtualNetwork) + peerings.map(\.peering.remoteVirtualNetwork))).sorted()
    }

    /// The description of a spoke's input.
    private func spokeDescription(_ id: ResourceID) -> String {
        id == existingSpoke ? "Resource ID of the spoke VNet \(id.name) (existing; the workload's deployment builds into it)."
            : "Resource ID of the spoke VNet \(id.name) (created by the workload's deployment)."
    }

    /// The spoke VNet's ID as written into the artefact: a default when the subscription is known, else required
    /// input (the deployment's own subscription is unknown to the platform team's code).
    private func spokeDefault(_ id: ResourceID) -> String? {
        RenderContext.isStandInID(id.subscriptionID ?? "") ? nil : id.rawValue
    }

    /// The input naming a spoke VNet.
    private func spokeInput(_ id: ResourceID, camel: Bool) -> String {
        let index = spokes.firstIndex(of: id) ?? 0
        let base = camel ? "spokeVirtualNetworkId" : "spoke_virtual_network_id"
        return index == 0 ? base : base + (camel ? "\(index + 1)" : "_\(index + 1)")
    }

    /// A renderer context with no resources, so every address stays a literal and every ID a literal ID.
    private var emptyContext: RenderContext { RenderContext(graph: ResourceGraph()) }

    private var summary: String {
        let parts = (peerings.isEmpty ? [] : ["the hub's side of the spoke's peering"])
            + (connections.isEmpty ? [] : ["the spoke's virtual hub connection"])
            + (policies.isEmpty ? [] : ["the firewall rules this Azure Machine Learning workspace needs"])
        let list = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts.joined()
        return "What the platform team adds for this spoke: \(list)."
    }

    /// The artefact for `target`, or no file when the graph asks nothing of a platform.
    func files(_ target: RenderTarget) -> [RenderedFile] {
        guard !policies.isEmpty || !connections.isEmpty || !peerings.isEmpty else { return [] }
        switch target {
        case .terraform: return [terraform()]
        case .arm: return [arm()]
        case .bicep: return [bicep()]
        }
    }

    /// Its own root module (Terraform reads only the working directory's files, so applying the spoke never applies
    /// it), pinned to the policy's subscription.
    private func terraform() -> RenderedFile {
        let renderer = TerraformRenderer(context: emptyContext)
        var providers = HCLBlock("required_providers")
        providers.attr("azurerm", .object([("source", .string("hashicorp/azurerm")), ("version", .string(TerraformRenderer.azurermVersion))]))
        var terraform = HCLBlock("terraform")
        terraform.attr("required_version", .string(">= 1.6.0"))
        terraform.block(providers)
        var provider = HCLBlock("provider", "azurerm")
        if let subscription = (policies.first?.id ?? connections.first?.hub.id ?? peerings.first?.hub.id)?.subscriptionID { provider.attr("subscription_id", .string(subscription)) }
        provider.block(HCLBlock("features"))
        var blocks = [terraform, provider]
        for spoke in spokes {
            var variable = HCLBlock("variable", spokeInput(spoke, camel: false))
            variable.attr("description", .string(spokeDescription(spoke)))
            variable.attr("type", .expr("string"))
            if let value = spokeDefault(spoke) { variable.attr("default", .string(value)) }
            blocks.append(variable)
        }
        for item in peerings {
            // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_peering
            var block = HCLBlock("resource", "azurerm_virtual_network_peering", TerraformSymbols.sanitize(item.peering.name))
            block.attr("name", .string(item.peering.name))
            block.attr("resource_group_name", .string(item.hub.id.resourceGroupName ?? ""))
            block.attr("virtual_network_name", .string(item.hub.name))
            block.attr("remote_virtual_network_id", .expr("var.\(spokeInput(item.peering.remoteVirtualNetwork, camel: false))"))
            block.attr("allow_virtual_network_access", .bool(item.peering.allowVirtualNetworkAccess))
            block.attr("allow_forwarded_traffic", .bool(item.peering.allowForwardedTraffic))
            block.attr("allow_gateway_transit", .bool(item.peering.allowGatewayTransit))
            block.attr("use_remote_gateways", .bool(item.peering.useRemoteGateways))
            blocks.append(block)
        }
        for item in connections {
            // https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_hub_connection
            var block = HCLBlock("resource", "azurerm_virtual_hub_connection", TerraformSymbols.sanitize(item.connection.name))
            block.attr("name", .string(item.connection.name))
            block.attr("virtual_hub_id", .string(item.hub.id.rawValue))
            block.attr("remote_virtual_network_id", .expr("var.\(spokeInput(item.connection.remoteVirtualNetwork, camel: false))"))
            block.attr("internet_security_enabled", .bool(item.connection.enableInternetSecurity))
            blocks.append(block)
        }
        for policy in policies {
            for group in policy.ruleCollectionGroups.sorted(by: { $0.priority < $1.priority }) {
                blocks.append(renderer.ruleCollectionGroup(group, policy: policy))
            }
        }
        let header = [summary, "Apply from this folder with the platform's credentials (Network Contributor on the platform's resource group).",
                      "Generated by Palisade. Do not edit by hand."]
        return RenderedFile(path: "\(Self.folder)/spoke-onboarding.tf", contents: HCL.render(blocks, header: header))
    }

    /// A template deployed into the policy's resource group.
    private func arm() -> RenderedFile {
        let builder = TemplateBuilder(context: emptyContext)
        let renderer = ARMRenderer(context: emptyContext)
        var resources: [OrderedJSON] = []
        var parameters: [(String, OrderedJSON)] = []
        for spoke in spokes {
            var parameter: [(String, OrderedJSON)] = [("type", .string("string"))]
            if let value = spokeDefault(spoke) { parameter.append(("defaultValue", .string(value))) }
            parameter.append(("metadata", .object([("description", .string(spokeDescription(spoke)))])))
            parameters.append((spokeInput(spoke, camel: true), .object(parameter)))
        }
        for item in peerings {
            // https://learn.microsoft.com/azure/templates/microsoft.network/virtualnetworks/virtualnetworkpeerings
            resources.append(.object([
                ("type", .string("Microsoft.Network/virtualNetworks/virtualNetworkPeerings")),
                ("apiVersion", .string(ARMRenderer.apiVersion(.virtualNetwork))),
                ("name", .string("\(item.hub.name)/\(item.peering.name)")),
                ("properties", .object([
                    ("remoteVirtualNetwork", .object([("id", .string("[parameters('\(spokeInput(item.peering.remoteVirtualNetwork, camel: true))')]"))])),
                    ("allowVirtualNetworkAccess", .bool(item.peering.allowVirtualNetworkAccess)),
                    ("allowForwardedTraffic", .bool(item.peering.allowForwardedTraffic)),
                    ("allowGatewayTransit", .bool(item.peering.allowGatewayTransit)),
                    ("useRemoteGateways", .bool(item.peering.useRemoteGateways)),
                ])),
            ]))
        }
        for item in connections {
            // https://learn.microsoft.com/azure/templates/microsoft.network/virtualhubs/hubvirtualnetworkconnections
            resources.append(.object([
                ("type", .string("Microsoft.Network/virtualHubs/hubVirtualNetworkConnections")),
                ("apiVersion", .string(ARMRenderer.apiVersion(.virtualHub))),
                ("name", .string("\(item.hub.name)/\(item.connection.name)")),
                ("properties", .object([
                    ("remoteVirtualNetwork", .object([("id", .string("[parameters('\(spokeInput(item.connection.remoteVirtualNetwork, camel: true))')]"))])),
                    ("enableInternetSecurity", .bool(item.connection.enableInternetSecurity)),
                ])),
            ]))
        }
        var previous: String?
        for policy in policies {
            for group in policy.ruleCollectionGroups.sorted(by: { $0.priority < $1.priority }) {
                var members: [(String, OrderedJSON)] = [
                    ("type", .string("Microsoft.Network/firewallPolicies/ruleCollectionGroups")),
                    ("apiVersion", .string(ARMRenderer.apiVersion(.firewallPolicy))),
                    ("name", .string("\(policy.name)/\(group.name)")),
                ]
                // Groups of one policy deploy one after another (the policy is locked while a group updates).
                if let previous { members.append(("dependsOn", .array([.string(previous)]))) }
                members.append(("properties", renderer.json(.object([
                    ("priority", .int(group.priority)),
                    ("ruleCollections", .array(group.ruleCollections.sorted { $0.priority < $1.priority }.map(builder.ruleCollection))),
                ]))))
                resources.append(.object(members))
                previous = "[resourceId('Microsoft.Network/firewallPolicies/ruleCollectionGroups', '\(armString(policy.name))', '\(armString(group.name))')]"
            }
        }
        let template = OrderedJSON.object([
            ("$schema", .string("https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")),
            ("contentVersion", .string("1.0.0.0")),
            ("metadata", .object([("generator", .string("palisade")), ("description", .string(summary + " " + deployHint))])),
            ("parameters", .object(parameters)),
            ("resources", .array(resources)),
        ])
        return RenderedFile(path: "\(Self.folder)/spoke-onboarding.json", contents: template.rendered())
    }

    /// The same as Bicep: the policy as an `existing` resource, the groups as its children.
    private func bicep() -> RenderedFile {
        let renderer = BicepRenderer(context: emptyContext)
        let builder = TemplateBuilder(context: emptyContext)
        var lines = ["// \(summary)", "// \(deployHint)", "// Generated by Palisade. Do not edit by hand.", ""]
        for spoke in spokes {
            lines.append("@description(\(bicepString(spokeDescription(spoke))))")
            lines.append("param \(spokeInput(spoke, camel: true)) string" + (spokeDefault(spoke).map { " = \(bicepString($0))" } ?? ""))
            lines.append("")
        }
        var networkSymbols: [ResourceID: String] = [:]
        for (index, item) in peerings.enumerated() {
            let networkSymbol: String
            if let known = networkSymbols[item.hub.id] {
                networkSymbol = known
            } else {
                networkSymbol = networkSymbols.isEmpty ? "hubVirtualNetwork" : "hubVirtualNetwork\(networkSymbols.count + 1)"
                networkSymbols[item.hub.id] = networkSymbol
                lines += ["resource \(networkSymbol) 'Microsoft.Network/virtualNetworks@\(ARMRenderer.apiVersion(.virtualNetwork))' existing = {",
                          "  name: \(bicepString(item.hub.name))", "}", ""]
            }
            let symbol = "hubPeering" + (index == 0 ? "" : "\(index + 1)")
            lines += ["resource \(symbol) 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings@\(ARMRenderer.apiVersion(.virtualNetwork))' = {",
                      "  parent: \(networkSymbol)", "  name: \(bicepString(item.peering.name))", "  properties: {",
                      "    remoteVirtualNetwork: {", "      id: \(spokeInput(item.peering.remoteVirtualNetwork, camel: true))", "    }",
                      "    allowVirtualNetworkAccess: \(item.peering.allowVirtualNetworkAccess)",
                      "    allowForwardedTraffic: \(item.peering.allowForwardedTraffic)",
                      "    allowGatewayTransit: \(item.peering.allowGatewayTransit)",
                      "    useRemoteGateways: \(item.peering.useRemoteGateways)", "  }", "}", ""]
        }
        var hubSymbols: [ResourceID: String] = [:]
        for (index, item) in connections.enumerated() {
            let hubSymbol: String
            if let known = hubSymbols[item.hub.id] {
                hubSymbol = known
            } else {
                hubSymbol = hubSymbols.isEmpty ? "virtualHub" : "virtualHub\(hubSymbols.count + 1)"
                hubSymbols[item.hub.id] = hubSymbol
                lines += ["resource \(hubSymbol) 'Microsoft.Network/virtualHubs@\(ARMRenderer.apiVersion(.virtualHub))' existing = {",
                          "  name: \(bicepString(item.hub.name))", "}", ""]
            }
            let symbol = "hubConnection" + (index == 0 ? "" : "\(index + 1)")
            lines += ["resource \(symbol) 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections@\(ARMRenderer.apiVersion(.virtualHub))' = {",
                      "  parent: \(hubSymbol)", "  name: \(bicepString(item.connection.name))", "  properties: {",
                      "    remoteVirtualNetwork: {", "      id: \(spokeInput(item.connection.remoteVirtualNetwork, camel: true))", "    }",
                      "    enableInternetSecurity: \(item.connection.enableInternetSecurity)", "  }", "}", ""]
        }
        for (index, policy) in policies.enumerated() {
            let symbol = index == 0 ? "firewallPolicy" : "firewallPolicy\(index + 1)"
            lines += ["resource \(symbol) 'Microsoft.Network/firewallPolicies@\(ARMRenderer.apiVersion(.firewallPolicy))' existing = {",
                      "  name: \(bicepString(policy.name))", "}", ""]
            var previous: String?
            for group in policy.ruleCollectionGroups.sorted(by: { $0.priority < $1.priority }) {
                let groupSymbol = symbol + TemplateBuilder.camel("_" + TerraformSymbols.sanitize(group.name)).capitalizedFirst
                lines.append("resource \(groupSymbol) 'Microsoft.Network/firewallPolicies/ruleCollectionGroups@\(ARMRenderer.apiVersion(.firewallPolicy))' = {")
                lines.append("  parent: \(symbol)")
                lines.append("  name: \(bicepString(group.name))")
                let properties = TemplateValue.object([
                    ("priority", .int(group.priority)),
                    ("ruleCollections", .array(group.ruleCollections.sorted { $0.priority < $1.priority }.map(builder.ruleCollection))),
                ])
                lines.append("  properties: \(renderer.expression(properties, indent: 2))")
                if let previous { lines.append("  dependsOn: [\n    \(previous)\n  ]") }
                lines += ["}", ""]
                previous = groupSymbol
            }
        }
        while lines.last == "" { lines.removeLast() }
        return RenderedFile(path: "\(Self.folder)/spoke-onboarding.bicep", contents: lines.joined(separator: "\n") + "\n")
    }

    /// A Bicep string literal.
    private func bicepString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'").replacingOccurrences(of: "${", with: "\\${") + "'"
    }

    /// Text inside an ARM expression's single-quoted string.
    private func armString(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "''") }

    /// Where the template deploys.
    private var deployHint: String {
        guard let id = policies.first?.id ?? connections.first?.hub.id ?? peerings.first?.hub.id, let subscription = id.subscriptionID, let group = id.resourceGroupName else { return "" }
        return "Deploy to the platform's resource group (the firewall policy's and the hub's): az deployment group create --subscription \(subscription) --resource-group \(group) --template-file <this file>."
    }
}
