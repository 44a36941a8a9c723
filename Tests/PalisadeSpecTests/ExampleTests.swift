import PalisadeModel
import PalisadeSpec
import Testing

/// The three examples plan with exactly the prefixes their sources use.
@Suite struct ExampleTests {
    func design(_ name: String) throws -> Design {
        let (design, diagnostics) = SpecLoader().design(file: Paths.example(name))
        #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
        return try #require(design)
    }

    func prefixes(_ design: Design) -> [String: String] {
        Dictionary(uniqueKeysWithValues: design.graph.all(Subnet.self).map { ($0.name, $0.addressPrefixes.map(\.description).joined()) })
    }

    /// Seed 000's subnets, verbatim.
    @Test func hubMatchesSeed000() throws {
        let hub = try design("hub.yaml")
        #expect(hub.region.name == "westus")
        #expect(hub.graph.all(VirtualNetwork.self)[0].addressSpace.map(\.description) == ["10.222.0.0/16"])
        #expect(prefixes(hub) == [
            "training": "10.222.0.0/24", "scoring": "10.222.1.0/24", "AzureBastionSubnet": "10.222.254.0/26",
            "GatewaySubnet": "10.222.250.0/24", "AzureFirewallSubnet": "10.222.252.0/26", "PrivateEndpointSubnet": "10.222.2.0/24",
        ])
        let gateway = try #require(hub.graph.all(VirtualNetworkGateway.self).first)
        #expect(gateway.vpnClientConfiguration?.addressPool.map(\.description) == ["172.16.201.0/24"])
        let instance = try #require(hub.graph.all(MachineLearningCompute.self).first { $0.isInstance })
        #expect(!instance.enableNodePublicIP && instance.subnet?.name == "training")
    }

    /// privateAML's `cidrsubnets(vnet, 6, 2, 4, 3)` layout (anchors-deployers.md B.2).
    @Test func privateAMLMatchesItsLayout() throws {
        let privateAML = try design("privateaml.yaml")
        #expect(prefixes(privateAML) == [
            "AzureFirewallSubnet": "10.1.1.0/24", "AzureBastionSubnet": "10.1.2.0/26", "SharedSubnet": "10.1.2.128/25",
        ])
        let policy = try #require(privateAML.graph.all(FirewallPolicy.self).first)
        let names = policy.ruleCollectionGroups.flatMap(\.ruleCollections).map(\.name)
        // privateAML's collections first, verbatim; then what compute needs that privateAML's list lacks.
        #expect(Array(names.prefix(3)) == ["general", "shared", "arc-shared_subnet"])
        #expect(names.contains("aml-service-tags") && names.contains("packages"))
        // SharedSubnet hosts compute and endpoints: network policies must be off (E01).
        let shared = try #require(privateAML.graph.all(Subnet.self).first { $0.name == "SharedSubnet" })
        #expect(shared.privateEndpointNetworkPolicies == .disabled)
    }

    /// The managed-network blueprint, faithfully: AllowInternetOutbound, the private-endpoint rule to Azure OpenAI
    /// with sparkEnabled, the image build cluster it names, a user-assigned identity with the approver role.
    @Test func managedVNetMatchesTheBlueprint() throws {
        let managed = try design("managed-vnet.yaml")
        let workspace = try #require(managed.graph.all(MachineLearningWorkspace.self).first)
        #expect(workspace.managedNetwork.isolationMode == .allowInternetOutbound)
        #expect(workspace.publicNetworkAccess == .disabled)
        #expect(workspace.imageBuildCompute == "cpu-compute")
        #expect(managed.graph.all(MachineLearningCompute.self).map(\.name) == ["cpu-compute"])
        let rule = try #require(workspace.managedNetwork.outboundRules.first)
        #expect(rule.name == "allowOpenAi" && rule.kind == .privateEndpoint && rule.subresourceTarget == "account" && rule.sparkEnabled)
        #expect(workspace.managedNetwork.outboundRules.count == 1)
        #expect(managed.graph.resource(rule.serviceResourceID, as: CognitiveServicesAccount.self) != nil)
        #expect(workspace.identity.userAssigned.count == 1 && workspace.primaryUserAssignedIdentity != nil)
        #expect(managed.graph.all(RoleAssignment.self).contains { $0.roleDefinitionID == "b556d68e-0be0-4f35-a333-ad7ee1ce17ea" })
        #expect(managed.graph.all(MachineLearningCompute.self).allSatisfy { $0.subnet == nil })
        // The jumpbox's way to the studio and Entra ID sign-in.
        #expect(managed.graph.all(AzureFirewall.self).count == 1)
    }

    /// The stricter mode: approved outbound only, with one FQDN rule per declared package source host.
    @Test func approvedOutboundExampleGetsPackageFqdnRules() throws {
        let managed = try design("managed-vnet-approved.yaml")
        let workspace = try #require(managed.graph.all(MachineLearningWorkspace.self).first)
        #expect(workspace.managedNetwork.isolationMode == .allowOnlyApprovedOutbound)
        #expect(workspace.managedNetwork.firewallSku == "Standard")
        let fqdns = Set(workspace.managedNetwork.outboundRules.compactMap(\.fqdn))
        #expect(fqdns == ["pypi.org", "files.pythonhosted.org", "anaconda.com", "*.anaconda.com", "*.anaconda.org"])
        // The plan says what the managed firewall behind those rules costs.
        let (_, diagnostics) = SpecLoader().design(file: Paths.example("managed-vnet-approved.yaml"))
        #expect(diagnostics.items.contains { $0.severity == .note && $0.message.contains("Standard SKU") && $0.message.contains("US$") })
    }

    /// westus has no availability zones: no zone-redundant storage, no AZ gateway (hence no zonal public IP).
    @Test func hubInWestUSIsNotZonal() throws {
        let hub = try design("hub.yaml")
        #expect(hub.graph.all(StorageAccount.self).map(\.sku) == ["Standard_LRS"])
        #expect(hub.graph.all(VirtualNetworkGateway.self).map(\.sku) == ["VpnGw1"])
        let zoned = try #require(EnvironmentDesigner.design(Spec()).design)
        #expect(zoned.graph.all(StorageAccount.self).map(\.sku) == ["Standard_ZRS"])
    }

    /// Every subnet routed to the firewall is a source of its rules: the scoring subnet too.
    @Test func hubFirewallRulesCoverTheScoringSubnet() throws {
        let hub = try design("hub.yaml")
        let policy = try #require(hub.graph.all(FirewallPolicy.self).first)
        let routed = hub.graph.all(Subnet.self).filter { $0.routeTable != nil }.flatMap(\.addressPrefixes).map(\.description)
        #expect(Set(routed) == ["10.222.0.0/24", "10.222.1.0/24"])
        let sources = Set(policy.ruleCollectionGroups.flatMap(\.ruleCollections).flatMap(\.rules).flatMap { rule -> [String] in
            switch rule {
            case .network(let r): r.sourceAddresses
            case .application(let r): r.sourceAddresses
            default: []
            }
        })
        for prefix in routed { #expect(sources.contains(prefix), "\(prefix) routed to the firewall but in no rule") }
    }
}
