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
        #expect(names == ["general", "shared", "arc-shared_subnet"])
        // SharedSubnet hosts compute and endpoints: network policies must be off (E01).
        let shared = try #require(privateAML.graph.all(Subnet.self).first { $0.name == "SharedSubnet" })
        #expect(shared.privateEndpointNetworkPolicies == .disabled)
    }

    /// Seed 004: approved-outbound managed network with a private-endpoint rule to Azure OpenAI.
    @Test func managedVNetMatchesSeed004() throws {
        let managed = try design("managed-vnet.yaml")
        let workspace = try #require(managed.graph.all(MachineLearningWorkspace.self).first)
        #expect(workspace.managedNetwork.isolationMode == .allowOnlyApprovedOutbound)
        let rule = try #require(workspace.managedNetwork.outboundRules.first)
        #expect(rule.kind == .privateEndpoint && rule.subresourceTarget == "account")
        #expect(managed.graph.resource(rule.serviceResourceID, as: CognitiveServicesAccount.self) != nil)
        #expect(workspace.identity.userAssigned.count == 1 && workspace.primaryUserAssignedIdentity != nil)
        #expect(managed.graph.all(RoleAssignment.self).contains { $0.roleDefinitionID == "b556d68e-0be0-4f35-a333-ad7ee1ce17ea" })
        #expect(managed.graph.all(AzureFirewall.self).isEmpty)
        #expect(managed.graph.all(MachineLearningCompute.self).allSatisfy { $0.subnet == nil })
    }
}
