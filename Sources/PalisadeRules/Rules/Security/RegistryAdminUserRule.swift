import PalisadeModel

/// The registry's admin user is a shared, non-auditable credential.
public struct RegistryAdminUserRule: Rule {
    public static let description = RuleDescription(
        id: "registry_admin_user",
        title: "Registry Admin User",
        kind: .security,
        defaultSeverity: .warning,
        rationale: "The admin user is one shared key-based login for the whole registry; identities with AcrPull are auditable and revocable.",
        source: "https://learn.microsoft.com/azure/container-registry/container-registry-authentication; (the tutorial enables it; not needed with managed identities)",
        fix: "set adminUserEnabled to false and grant compute identities AcrPull",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crexample", "location": "westeurope",
             "sku": {"name": "Premium"}, "properties": {"adminUserEnabled": true, "publicNetworkAccess": "Disabled"}}
            """, flagging: ["crexample"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(ContainerRegistry.self).filter(\.adminUserEnabled).map { registry in
            context.finding(Self.self, registry, "registry '\(registry.name)' has the admin user enabled",
                            evidence: [.property(registry.id, "properties.adminUserEnabled", "true")], property: "properties.adminUserEnabled")
        }
    }
}

// MARK: - Fix

extension RegistryAdminUserRule {
    /// Disables the admin account (https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: ContainerRegistry.self) != nil else { return nil }
        return context.propose("set adminUserEnabled to false on '\(finding.subject.name)'", spec: [SpecPatch("registry.adminUser", "false")]) {
            $0.update(finding.subject, as: ContainerRegistry.self) { $0.adminUserEnabled = false }
        }
    }
}
