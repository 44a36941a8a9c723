import Foundation
import PalisadeARM
import PalisadeModel
@testable import PalisadeRender
import Testing

/// Render ARM → import it with the ARM importer → the same resources, with the same network-relevant settings.
@Suite struct RoundTripTests {
    static func roundTrip(_ graph: ResourceGraph) throws -> (ResourceGraph, Diagnostics) {
        let files = Renderer.render(graph, target: .arm).files
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-roundtrip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The platform team's artefact (in its own folder) is not part of the spoke's template.
        for file in files where !file.path.contains("/") { try Data(file.contents.utf8).write(to: directory.appendingPathComponent(file.path)) }
        var options = ImportOptions()
        let group = try #require(graph.all(ResourceGroup.self).first)
        options.evaluation.deployment.resourceGroup = group.name
        options.evaluation.deployment.subscriptionID = group.id.subscriptionID ?? options.evaluation.deployment.subscriptionID
        options.evaluation.deployment.location = group.location ?? "westeurope"
        options.evaluation.placeholders = true
        options.parameterFiles = [directory.appendingPathComponent("azuredeploy.parameters.json").path]
        return ARMImporter.importFile(directory.appendingPathComponent("azuredeploy.json").path, options: options)
    }

    @Test(arguments: ["default"] + Fixtures.exampleNames)
    func armRoundTripKeepsEveryResource(_ name: String) throws {
        // What the template deploys: a landing zone's existing hub is described, not rendered; an existing spoke's
        // reused subnets are written (ARM updates a subnet whole).
        let designed = name == "default" ? try Fixtures.defaultGraph() : try Fixtures.example(name)
        let graph = Fixtures.deployed(designed)
        let (imported, diagnostics) = try Self.roundTrip(designed)
        let errors = diagnostics.items.filter { $0.severity == .error }.map(\.description)
        #expect(errors.isEmpty, "\(errors.prefix(5))")
        let original = Set(graph.resources.filter { if case .resourceGroup = $0 { return false } else { return true } }.map(Self.matchKey))
        let back = Set(imported.resources.map(Self.matchKey))
        // An existing spoke VNet is not in the template, so its side of each peering is a child resource of its own.
        let spokePeerings = Set((RenderContext.existingSpokeNetwork(in: designed).map { vnet in
            vnet.peerings.map { vnet.id.child("virtualNetworkPeerings", $0.name).rawValue }
        }) ?? [])
        #expect(spokePeerings.isSubset(of: back), "the spoke's side of the peering is missing")
        let missing = original.subtracting(back).sorted()
        let extra = back.subtracting(original).subtracting(spokePeerings).sorted()
        #expect(missing.isEmpty, "missing after round trip: \(missing.prefix(8))")
        #expect(extra.isEmpty, "extra after round trip: \(extra.prefix(8))")
    }
}

extension RoundTripTests {
    @Test(arguments: ["default"] + Fixtures.exampleNames)
    func armRoundTripGivesTheSameGraph(_ name: String) throws {
        // What the template deploys (see above).
        let designed = name == "default" ? try Fixtures.defaultGraph() : try Fixtures.example(name)
        let graph = Fixtures.deployed(designed)
        let (imported, _) = try Self.roundTrip(designed)
        let importedByKey = Dictionary(imported.resources.map { (Self.matchKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        var differing: [String] = []
        for resource in graph.resources {
            guard let back = importedByKey[Self.matchKey(resource)] else { continue }
            if Self.normalised(resource, tenant: "00000000-0000-0000-0000-000000000001")
                != Self.normalised(back, tenant: "00000000-0000-0000-0000-000000000001") {
                differing.append(resource.id.rawValue)
            }
        }
        #expect(differing.isEmpty, "\(name): \(differing.count) resources differ, e.g. \(differing.prefix(3))")
    }

    /// Removes the differences that are representational, each explained:
    /// - source locations (the spec file vs the template file);
    /// - secrets: the graph says "generated into Key Vault", the template takes a secure parameter (by design);
    /// - role assignments and diagnostic settings carry no tags in ARM; role definitions become full IDs and the
    ///   role name is only a description; role assignment names are computed (see `matchKey`);
    /// - the deployment's tenant replaces "current tenant" (nil / empty);
    /// - a service endpoint policy's aliases sit in their own definition with service `Global`, as ARM requires;
    /// - a firewall with a policy takes its threat-intelligence mode from the policy, so the template omits it;
    /// - a storage account's diagnostic setting sends metrics only (its logs live on the services);
    /// - a root certificate left to deployment time comes back as the importer's placeholder;
    /// - `userAssignedIdentities` keys are `[resourceId(...)]` expressions, which the importer keeps unevaluated.
    /// What identifies a resource across the round trip: its ID, except for role assignments, whose names are
    /// `guid(scope, role, principal)` expressions in the template (so they follow the name parameter): those are
    /// matched by scope, role and principal.
    static func matchKey(_ resource: Resource) -> String {
        guard case .roleAssignment(let assignment) = resource else { return resource.id.rawValue }
        let role = assignment.roleDefinitionID.split(separator: "/").last.map(String.init) ?? ""
        return "role assignment of \(role) to \(assignment.principal?.rawValue ?? assignment.principalObjectID ?? "") on \(assignment.scope.rawValue)"
    }

    static func normalised(_ resource: Resource, tenant: String) -> Resource {
        var payload = resource.payload
        payload.source = nil
        switch payload.asResource {
        case .virtualMachine(var vm):
            vm.adminPassword = nil
            return .virtualMachine(vm)
        case .keyVaultSecret(var secret):
            secret.value = .redactedLiteral
            secret.tags = [:]
            return .keyVaultSecret(secret)
        case .roleAssignment(let original):
            var assignment = RoleAssignment(name: "matched-by-meaning", scope: original.scope,
                                            roleDefinitionID: String(original.roleDefinitionID.split(separator: "/").last ?? ""))
            assignment.principal = original.principal
            assignment.principalObjectID = original.principalObjectID
            assignment.principalType = original.principalType
            assignment.location = original.location
            return .roleAssignment(assignment)
        case .diagnosticSetting(var setting):
            setting.tags = [:]
            if setting.target.resourceType == .storageAccount { setting.logCategories = [] }
            return .diagnosticSetting(setting)
        case .keyVault(var vault):
            vault.tenantID = nil
            return .keyVault(vault)
        case .storageAccount(var storage):
            storage.networkACLs.resourceAccessRules = storage.networkACLs.resourceAccessRules.map {
                ResourceAccessRule(tenantID: $0.tenantID == tenant ? "" : $0.tenantID, resourceID: $0.resourceID)
            }
            return .storageAccount(storage)
        case .serviceEndpointPolicy(var policy):
            let aliases = policy.definitions.filter { $0.service == "Global" }.flatMap(\.serviceResources)
            policy.definitions = policy.definitions.filter { $0.service != "Global" }.map { definition in
                var copy = definition
                copy.serviceAliases += aliases
                return copy
            }
            return .serviceEndpointPolicy(policy)
        case .azureFirewall(var firewall) where firewall.firewallPolicy != nil:
            firewall.threatIntelMode = .alert
            return .azureFirewall(firewall)
        case .virtualNetworkGateway(var gateway):
            if var clients = gateway.vpnClientConfiguration {
                clients.rootCertificates = clients.rootCertificates.map {
                    VpnRootCertificate(name: $0.name, publicCertData: $0.publicCertData?.hasPrefix("placeholder-") == true ? nil : $0.publicCertData)
                }
                gateway.vpnClientConfiguration = clients
            }
            return .virtualNetworkGateway(gateway)
        case .machineLearningWorkspace(var workspace):
            workspace.identity.userAssigned = workspace.identity.userAssigned.filter { !$0.rawValue.hasPrefix("[") }
            if workspace.identity.userAssigned.isEmpty, let primary = workspace.primaryUserAssignedIdentity {
                workspace.identity.userAssigned = [primary]
            }
            return .machineLearningWorkspace(workspace)
        default:
            return payload.asResource
        }
    }
}

extension RoundTripTests {
    @Test func importedGraphRendersTerraformWithItsResourceGroup() throws {
        let (imported, _) = try Self.roundTrip(try Fixtures.example("privateaml"))
        #expect(imported.all(ResourceGroup.self).isEmpty)
        let network = try #require(Renderer.render(imported, target: .terraform).files.first { $0.path == "network.tf" }).contents
        #expect(network.contains("resource \"azurerm_resource_group\" \"main\" {"))
        #expect(network.contains("name     = \"rg-${var.name}\""))
    }
}

extension RoundTripTests {
    @Test func untypedResourcesAreRenderedVerbatim() throws {
        var graph = try Fixtures.example("privateaml")
        let group = try #require(graph.all(ResourceGroup.self).first)
        var opaque = OpaqueResource(id: ResourceID("\(group.id.rawValue)/providers/Microsoft.Network/dnsResolvers/dnspr-test"),
                                    type: ResourceType("Microsoft.Network/dnsResolvers"))
        opaque.apiVersion = "2022-07-01"
        opaque.location = group.location
        opaque.properties = .object(["virtualNetwork": .object(["id": .string("/subscriptions/x/vnet")])])
        graph.insert(opaque)
        let terraform = Renderer.render(graph, target: .terraform)
        #expect(terraform.warnings.isEmpty)
        let other = try #require(terraform.files.first { $0.path == "other.tf" }).contents
        #expect(other.contains("type      = \"Microsoft.Network/dnsResolvers@2022-07-01\""))
        #expect(terraform.files.first { $0.path == "providers.tf" }?.contents.contains("azure/azapi") == true)
        let arm = Renderer.render(graph, target: .arm)
        #expect(arm.warnings.isEmpty)
        #expect(arm.files[0].contents.contains("\"type\": \"Microsoft.Network/dnsResolvers\""))
        let bicep = Renderer.render(graph, target: .bicep).files[0].contents
        #expect(bicep.contains("'Microsoft.Network/dnsResolvers@2022-07-01'"))
    }
}
