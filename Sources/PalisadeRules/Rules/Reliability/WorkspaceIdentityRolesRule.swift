import PalisadeModel

/// A workspace with a user-assigned identity needs the roles Microsoft lists on the workspace and its associated
/// resources (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#user-assigned-managed-identity).
public struct WorkspaceIdentityRolesRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_identity_roles",
        title: "Workspace Identity Roles",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Azure assigns the roles of a system-assigned workspace identity itself; for a user-assigned identity the \
        roles are yours to create. Microsoft lists them: Contributor on the workspace, the storage account, the \
        key vault (plus Key Vault Administrator with the RBAC permission model), the container registry and \
        Application Insights. Without them the workspace cannot reach its own resources.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#user-assigned-managed-identity",
        fix: "assign the identity the missing roles at the named resources (or their resource group)",
        passingExamples: [.spec("{}"), .spec("services: {userAssignedIdentity: true}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "id-ws", "location": "westeurope"},
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stws", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "identity": {"type": "UserAssigned", "userAssignedIdentities": {"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-ws')]": {}}},
             "properties": {"primaryUserAssignedIdentity": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-ws')]",
               "storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stws')]"}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let assignments = context.graph.all(RoleAssignment.self)
        return context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard !workspace.identity.systemAssigned else { return nil }
            let missing = Self.missingRoles(of: workspace, in: context.graph, assignments: assignments)
            guard !missing.isEmpty else { return nil }
            let list = missing.map { "\($0.role.name) on '\($0.scope.name)'" }.joined(separator: ", ")
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' uses a user-assigned identity that lacks \(list)",
                evidence: missing.map { .related($0.scope, "needs \($0.role.name) for the workspace identity") })
        }
    }

    /// The documented roles the workspace's user-assigned identities hold nowhere, with the scope each is needed at;
    /// empty when the workspace has no user-assigned identity.
    static func missingRoles(of workspace: MachineLearningWorkspace, in graph: ResourceGraph,
                             assignments: [RoleAssignment]) -> [(role: BuiltInRoleDefinition, scope: ResourceID)] {
        let identities = Set(workspace.identity.userAssigned + [workspace.primaryUserAssignedIdentity].compactMap { $0 })
        guard !identities.isEmpty else { return [] }
        let vault = graph.resource(workspace.keyVault, as: KeyVault.self)
        var missing: [(role: BuiltInRoleDefinition, scope: ResourceID)] = []
        for requirement in WorkspaceIdentityRoles.requirements(rbacVault: vault?.enableRbacAuthorization ?? true) {
            let target: ResourceID? = switch requirement.target {
            case .workspace: workspace.id
            case .storage: workspace.storageAccount
            case .keyVault: workspace.keyVault
            case .containerRegistry: workspace.containerRegistry
            case .applicationInsights: workspace.applicationInsights
            }
            guard let target, graph[target] != nil || requirement.target == .workspace else { continue }
            let held = assignments.contains { assignment in
                let definition = assignment.roleDefinitionID.lowercased()
                let roleMatches = requirement.satisfiedBy.contains { definition.hasSuffix($0.id) }
                let covers = target.rawValue.lowercased().hasPrefix(assignment.scope.rawValue.lowercased())
                // An assignment whose principal is known only at deployment may be this identity's.
                let principal = assignment.principal.map(identities.contains) ?? (assignment.principalObjectID == nil)
                return roleMatches && covers && principal
            }
            if !held { missing.append((requirement.role, target)) }
        }
        return missing
    }
}

// MARK: - Fix

extension WorkspaceIdentityRolesRule {
    /// Assigns the missing roles to the workspace's user-assigned identity at the resources the finding names
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#user-assigned-managed-identity).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let workspace = context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) else { return nil }
        let grants = Self.missingRoles(of: workspace, in: context.graph, assignments: context.graph.all(RoleAssignment.self))
        guard !grants.isEmpty else { return nil }
        let principal = workspace.actingIdentity
        return context.propose("assign \(grants.map { "\($0.role.name) on '\($0.scope.name)'" }.joined(separator: ", ")) to identity '\(principal.name)'") { graph in
            for (role, scope) in grants { graph.assign(role, at: scope, to: principal) }
        }
    }
}
