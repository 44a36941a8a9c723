import Foundation
import PalisadeModel
@testable import PalisadeSpec
import Testing

/// The built-in default must contain every resource kind issue #2 §3 lists, configured securely.
@Suite struct DefaultDesignTests {
    let design: Design = EnvironmentDesigner.design(Spec()).design!
    var graph: ResourceGraph { design.graph }

    @Test func usesPrivateAMLInputs() {
        #expect(design.spec.name == "test")
        #expect(design.region.name == "westeurope")
        #expect(design.addressPlan.addressSpace.description == "10.1.0.0/22")
    }

    @Test func workspaceIsPrivateAndIdentityBased() throws {
        let workspace = try #require(graph.all(MachineLearningWorkspace.self).first)
        #expect(workspace.publicNetworkAccess == .disabled)
        #expect(workspace.highBusinessImpact)
        #expect(workspace.systemDatastoresAuthMode == "identity")
        #expect(workspace.imageBuildCompute == "cpu-cluster")
        #expect(graph.resource(workspace.storageAccount, as: StorageAccount.self) != nil)
        #expect(graph.resource(workspace.keyVault, as: KeyVault.self) != nil)
        #expect(graph.resource(workspace.containerRegistry, as: ContainerRegistry.self) != nil)
        #expect(graph.resource(workspace.applicationInsights, as: ApplicationInsights.self) != nil)
    }

    @Test func computeHasNoPublicIP() {
        let computes = graph.all(MachineLearningCompute.self)
        #expect(computes.map(\.name) == ["cpu-cluster"])
        #expect(computes.allSatisfy { !$0.enableNodePublicIP && $0.subnet != nil })
    }

    @Test func dependentServicesAreLockedDown() throws {
        let storage = try #require(graph.all(StorageAccount.self).first)
        #expect(!storage.allowSharedKeyAccess && storage.publicNetworkAccess == .disabled && storage.networkACLs.defaultAction == .deny)
        let vault = try #require(graph.all(KeyVault.self).first)
        #expect(vault.enableRbacAuthorization && vault.enablePurgeProtection && vault.publicNetworkAccess == .disabled)
        let registry = try #require(graph.all(ContainerRegistry.self).first)
        #expect(registry.sku == "Premium" && !registry.adminUserEnabled && registry.publicNetworkAccess == .disabled)
        let insights = try #require(graph.all(ApplicationInsights.self).first)
        #expect(insights.workspace != nil)
        let scope = try #require(graph.all(MonitorPrivateLinkScope.self).first)
        // Azure ML requires the open Private Link mode of Azure Monitor (how-to-secure-workspace-vnet#azure-monitor).
        #expect(scope.ingestionAccessMode == "Open" && scope.queryAccessMode == "Open")
        #expect(Set(scope.scopedResources) == Set([insights.id, graph.all(LogAnalyticsWorkspace.self)[0].id]))
    }

    @Test func everyPrivateEndpointAndZoneIsThere() {
        let endpoints = graph.all(PrivateEndpoint.self)
        let groups = Set(endpoints.flatMap(\.groupIDs))
        #expect(groups == ["amlworkspace", "blob", "file", "vault", "registry", "azuremonitor"])
        let zones = Set(graph.all(PrivateDnsZone.self).map(\.name))
        for zone in ["privatelink.api.azureml.ms", "privatelink.cert.api.azureml.ms", "privatelink.notebooks.azure.net",
                     "privatelink.blob.core.windows.net", "privatelink.file.core.windows.net", "privatelink.vaultcore.azure.net",
                     "privatelink.azurecr.io", "privatelink.monitor.azure.com"] {
            #expect(zones.contains(zone), "missing zone \(zone)")
        }
        let vnet = graph.all(VirtualNetwork.self)[0].id
        #expect(graph.all(PrivateDnsZone.self).allSatisfy { $0.virtualNetworkLinks.map(\.virtualNetwork) == [vnet] })
        // Every zone a zone group names exists.
        #expect(endpoints.flatMap { $0.privateDnsZoneGroup?.zones ?? [] }.allSatisfy { graph[$0] != nil })
    }

    @Test func firewallPolicyCarriesTheAMLRulesWithDNSProxy() throws {
        let policy = try #require(graph.all(FirewallPolicy.self).first)
        #expect(policy.skuTier == "Standard" && policy.dnsProxyEnabled)
        let rules = policy.ruleCollectionGroups.flatMap(\.ruleCollections).flatMap(\.rules)
        let destinations = Set(rules.flatMap { rule -> [String] in
            switch rule {
            case .network(let r): r.destinationAddresses
            case .application(let r): r.targetFqdns
            case .nat: []
            }
        })
        for expected in ["AzureActiveDirectory", "AzureMachineLearning", "BatchNodeManagement.WestEurope", "AzureResourceManager",
                         "MicrosoftContainerRegistry.WestEurope", "AzureFrontDoor.FirstParty", "AzureKeyVault.WestEurope",
                         "login.microsoftonline.com", "*.instances.azureml.ms", "*.westeurope.batch.azure.com",
                         "pypi.org", "files.pythonhosted.org", "*.anaconda.org"] {
            #expect(destinations.contains(expected), "missing \(expected)")
        }
        // Exfiltration-capable destinations are not in the allow-list (aml-network-catalog.md §3.1).
        for banned in ["Storage", "Storage.WestEurope", "AzureFrontDoor.FrontEnd", "*.blob.core.windows.net"] {
            #expect(!destinations.contains(banned), "\(banned) must not be allowed by default")
        }
        let firewall = try #require(graph.all(AzureFirewall.self).first)
        #expect(firewall.firewallPolicy == policy.id)
        #expect(firewall.privateIPAddress?.description == "10.1.1.68")
    }

    @Test func computeAndJumpboxEgressGoesThroughTheFirewall() throws {
        let table = try #require(graph.all(RouteTable.self).first)
        #expect(table.routes.map(\.destination) == [.prefix(.all)])
        #expect(table.routes[0].nextHopType == .virtualAppliance)
        #expect(table.routes[0].nextHopIPAddress == graph.all(AzureFirewall.self)[0].privateIPAddress)
        let routed = graph.all(Subnet.self).filter { $0.routeTable == table.id }.map(\.name).sorted()
        #expect(routed == ["snet-jumpbox", "snet-training"])
    }

    @Test func everySubnetThatAllowsAnNSGHasOne() {
        for subnet in graph.all(Subnet.self) {
            let mustNotHave = ["AzureFirewallSubnet", "GatewaySubnet"].contains(subnet.name)
            #expect((subnet.networkSecurityGroup == nil) == mustNotHave, "\(subnet.name)")
        }
        let bastionNSG = graph.all(NetworkSecurityGroup.self).first { $0.name == "nsg-AzureBastionSubnet" }
        #expect(bastionNSG?.securityRules.count == 8)
    }

    @Test func computeSubnetMeetsNoPublicIPRequirements() throws {
        let subnet = try #require(graph.all(Subnet.self).first { $0.name == "snet-training" })
        #expect(subnet.privateEndpointNetworkPolicies == .disabled)  // E01
        #expect(subnet.privateLinkServiceNetworkPolicies == .disabled)
        #expect(subnet.delegations.isEmpty)  // V-02
        let policy = try #require(graph.resource(subnet.serviceEndpointPolicies.first, as: ServiceEndpointPolicy.self))
        #expect(policy.definitions[0].serviceResources == [graph.all(StorageAccount.self)[0].id.rawValue])
        #expect(policy.definitions[0].serviceAliases == ["/services/Azure/MachineLearning"])
    }

    @Test func bastionAndJumpboxWithoutPublicIPAndPasswordInKeyVault() throws {
        #expect(graph.all(BastionHost.self).count == 1)
        let nic = try #require(graph.all(NetworkInterface.self).first)
        #expect(nic.ipConfigurations.allSatisfy { $0.publicIPAddress == nil })
        let vm = try #require(graph.all(VirtualMachine.self).first)
        guard case .keyVaultSecret(let vault, let name)? = vm.adminPassword else {
            Issue.record("jumpbox password must come from Key Vault")
            return
        }
        #expect(vault == graph.all(KeyVault.self)[0].id)
        #expect(graph.resource(vault.child("secrets", name), as: KeyVaultSecret.self) != nil)
    }

    @Test func diagnosticsGoToLogAnalyticsAndReferencesResolve() {
        #expect(graph.all(DiagnosticSetting.self).count >= 8)
        #expect(graph.danglingReferences.isEmpty)
        #expect(graph.all(RoleAssignment.self).contains { $0.roleName == "AcrPull" })
    }

    @Test func theSameSpecGivesTheSameGraph() throws {
        let again = EnvironmentDesigner.design(Spec()).design!
        #expect(try JSONEncoder.sorted.encode(again.graph) == JSONEncoder.sorted.encode(graph))
        #expect(design.suffix == Naming.deterministicSuffix(Spec()))
    }

    @Test func starterSpecPlansLikeTheDefault() throws {
        let loaded = SpecLoader().design(yaml: StarterSpec.text, file: "palisade.yaml")
        #expect(!loaded.diagnostics.hasErrors)
        // Same resources; only the spec locations (the starter file's lines) differ from the built-in default's none.
        let resources = try #require(loaded.design?.graph).resources
        #expect(resources.allSatisfy { $0.source?.file == "palisade.yaml" && $0.source?.line != nil })
        #expect(ResourceGraph(resources.map(Self.withoutSource)) == ResourceGraph(graph.resources.map(Self.withoutSource)))
    }

    static func withoutSource(_ resource: Resource) -> Resource {
        var payload = resource.payload
        payload.source = nil
        return payload.asResource
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
