import Foundation
import PalisadeModel
@testable import PalisadeSpec
import Testing

/// Designs that work: the defaults follow Microsoft's requirements, not only isolation.
@Suite struct WorkingDesignTests {
    func design(_ yaml: String) throws -> Design {
        let (design, diagnostics) = SpecLoader().design(yaml: yaml, file: "test.yaml")
        #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
        return try #require(design)
    }

    func applicationTargets(_ design: Design) -> Set<String> {
        Set(design.graph.all(FirewallPolicy.self).flatMap(\.ruleCollectionGroups).flatMap(\.ruleCollections).flatMap(\.rules)
            .flatMap { rule -> [String] in if case .application(let r) = rule { r.targetFqdns } else { [] } })
    }

    /// Default package sources: PyPI (with the file host pip downloads from) and conda.
    @Test func defaultFirewallAllowsDeclaredPackageSources() throws {
        let targets = applicationTargets(try design("{}"))
        for host in ["pypi.org", "files.pythonhosted.org", "anaconda.com", "*.anaconda.com", "*.anaconda.org"] {
            #expect(targets.contains(host), "\(host)")
        }
    }

    @Test func noPackageSourcesAndPrivateMirrors() throws {
        let none = applicationTargets(try design("packageSources: none"))
        #expect(!none.contains("pypi.org") && !none.contains("*.anaconda.org"))
        let mirror = applicationTargets(try design("packageSources: [pypi.mirror.example.com]"))
        #expect(mirror.contains("pypi.mirror.example.com") && !mirror.contains("pypi.org"))
        let (bad, diagnostics) = SpecLoader().design(yaml: "packageSources: [\"not a host\"]", file: "bad.yaml")
        #expect(bad == nil)
        #expect(diagnostics.errors.contains { $0.message.contains("not a host") && $0.location?.line == 1 })
    }

    /// Azure ML requires the open Private Link mode of Azure Monitor.
    @Test func monitorScopeIsOpen() throws {
        let scope = try #require(try design("{}").graph.all(MonitorPrivateLinkScope.self).first)
        #expect(scope.ingestionAccessMode == "Open" && scope.queryAccessMode == "Open")
    }

    /// The user-assigned identity gets every role Microsoft lists for a workspace with a user-assigned identity.
    @Test func userAssignedIdentityHoldsDocumentedRoles() throws {
        let design = try design("services: {userAssignedIdentity: true}")
        let identity = try #require(design.graph.all(UserAssignedIdentity.self).first)
        let workspace = try #require(design.graph.all(MachineLearningWorkspace.self).first)
        let held = design.graph.all(RoleAssignment.self).filter { $0.principal == identity.id }
        // An assignment at a scope covers the resources below it (the resource group covers the workspace).
        func has(_ role: BuiltInRoleDefinition, on target: ResourceID?) -> Bool {
            guard let target else { return false }
            return held.contains { $0.roleDefinitionID == role.id && target.rawValue.lowercased().hasPrefix($0.scope.rawValue.lowercased()) }
        }
        #expect(has(BuiltInRoles.contributor, on: workspace.id))
        #expect(has(BuiltInRoles.contributor, on: workspace.storageAccount))
        #expect(has(BuiltInRoles.contributor, on: workspace.keyVault))
        #expect(has(BuiltInRoles.keyVaultAdministrator, on: workspace.keyVault))
        #expect(has(BuiltInRoles.contributor, on: workspace.containerRegistry))
        #expect(has(BuiltInRoles.contributor, on: workspace.applicationInsights))
        #expect(has(BuiltInRoles.storageBlobDataContributor, on: workspace.storageAccount))
    }

    /// Zone-redundant choices in a region without zones are refused with the key path.
    @Test func zonalSkusInZonelessRegionAreErrors() throws {
        let (storage, storageDiagnostics) = SpecLoader().design(yaml: "location: westus\nstorage: {sku: Standard_ZRS}", file: "z.yaml")
        #expect(storage == nil)
        #expect(storageDiagnostics.errors.contains { $0.message.contains("Standard_ZRS") && $0.location?.line == 2 })
        let (gateway, _) = SpecLoader().design(yaml: "location: westus\naccess: {vpn: {enabled: true, sku: VpnGw2AZ}}", file: "g.yaml")
        #expect(gateway == nil)
        let zoneless = try design("location: westus\naccess: {vpn: {enabled: true}}")
        #expect(zoneless.graph.all(StorageAccount.self).first?.sku == "Standard_LRS")
        #expect(zoneless.graph.all(VirtualNetworkGateway.self).first?.sku == "VpnGw1")
        #expect(zoneless.graph.all(PublicIPAddress.self).allSatisfy { $0.zones == nil })
        let zoned = try design("access: {vpn: {enabled: true}}")
        #expect(zoned.graph.all(VirtualNetworkGateway.self).first?.sku == "VpnGw1AZ")
        #expect(zoned.graph.all(PublicIPAddress.self).first { $0.name.hasPrefix("pip-vgw") }?.zones == ["1", "2", "3"])
    }

    /// The privateAML profile keeps privateAML's collections and adds what compute needs after them.
    @Test func privateAMLProfileAddsRequiredRules() throws {
        let design = try design("firewall: {profile: privateaml}")
        let groups = try #require(design.graph.all(FirewallPolicy.self).first).ruleCollectionGroups
        #expect(groups.map(\.name).prefix(2) == ["privateaml-network", "privateaml-application"])
        #expect(groups.contains { $0.name == "aml-required" })
        #expect(Set(groups.map(\.priority)).count == groups.count)
    }

    /// Declared intents carry their spec line.
    @Test func specIntentsAreLocated() throws {
        let design = try design("""
        intents:
          - from: all computes
            mustReach: [pypi.org]
            ports: [443]
          - only: [snet-jumpbox]
            reach: {to: mlw-test, ports: [443]}
        """)
        #expect(design.intents.count == 2)
        #expect(design.intents[0].form == .mustReach && design.intents[0].source?.line == 2)
        #expect(design.intents[1].form == .onlyReach && design.intents[1].destinations.first?.ports == [PortRange(443, 443)])
    }

    @Test func badIntentsAreLocatedErrors() throws {
        let (design, diagnostics) = SpecLoader().design(yaml: """
        intents:
          - from: all computes
            mustReach: [pypi.org]
            mayReachOnly: [VirtualNetwork]
        """, file: "i.yaml")
        #expect(design == nil)
        #expect(diagnostics.errors.contains { $0.message.contains("exactly one") })
        let (file, fileDiagnostics) = SpecLoader().intents(yaml: "intents:\n  - from: x\n    mustReach: [y]\n    ports: [70000]\n", file: "f.yaml")
        #expect(file == nil)
        #expect(fileDiagnostics.errors.contains { $0.message.contains("70000") })
        let (typo, typoDiagnostics) = SpecLoader().intents(yaml: "intents:\n  - form: x\n", file: "t.yaml")
        #expect(typo == nil && typoDiagnostics.errors.contains { $0.message.contains("unknown key 'form'") })
    }
}
