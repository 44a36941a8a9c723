import PalisadeModel

/// Studio reaches storage behind private endpoints only when the workspace identity can read them.
public struct WorkspaceStorageEndpointReaderRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_storage_endpoint_reader",
        title: "Workspace Storage Endpoint Reader",
        kind: .connectivity,
        defaultSeverity: .warning,
        rationale: """
        When the workspace's storage account sits behind private endpoints, studio uses the workspace's managed \
        identity to reach it and needs Reader on each of the storage private endpoints (blob, file, dfs); without \
        it studio cannot browse datastores or preview data ("StorageAuthError: Forbidden").
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network; docs/defaults.md (role assignments)",
        fix: "assign the workspace identity the Reader role on each storage private endpoint (or their resource group)",
        passingExamples: [.spec("{}"), .spec("services: {userAssignedIdentity: true}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stexample", "location": "westeurope",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "identity": {"type": "SystemAssigned"},
             "properties": {"storageAccount": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]"}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-st-blob", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "blob", "properties": {"groupIds": ["blob"],
                "privateLinkServiceId": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]"}}]}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    /// Reader, Contributor, Owner.
    private static let readingRoles = ["acdd72a7-3385-48ef-bd42-f606fba81ae7", "b24988ac-6180-49b7-b5c3-ebf7cae3a3f7",
                                       "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"]

    public func check(_ context: RuleContext) -> [Finding] {
        let assignments = context.graph.all(RoleAssignment.self).filter { assignment in
            Self.readingRoles.contains { assignment.roleDefinitionID.lowercased().hasSuffix($0) } || assignment.roleName?.lowercased() == "reader"
        }
        return context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard let storage = workspace.storageAccount else { return nil }
            let principals = Set([workspace.id] + workspace.identity.userAssigned + [workspace.primaryUserAssignedIdentity].compactMap { $0 })
            let endpoints = context.privateEndpoints(targeting: storage).filter { endpoint in
                endpoint.groupIDs.contains { ["blob", "file", "dfs"].contains($0.lowercased()) }
            }
            let unread = endpoints.filter { endpoint in
                !assignments.contains { assignment in
                    let covers = endpoint.id.rawValue.lowercased().hasPrefix(assignment.scope.rawValue.lowercased())
                    // An assignment whose principal is only known at deployment time may be the workspace's.
                    let principal = assignment.principal.map(principals.contains) ?? (assignment.principalObjectID == nil)
                    return covers && principal
                }
            }
            guard !unread.isEmpty else { return nil }
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' identity has no Reader role on storage private endpoint(s) \(unread.map { "'\($0.name)'" }.joined(separator: ", ")); studio cannot reach the datastores",
                evidence: unread.map { .related($0.id, "storage private endpoint (\($0.groupIDs.joined(separator: ", "))) without Reader for the workspace identity") })
        }
    }
}

// MARK: - Fix

extension WorkspaceStorageEndpointReaderRule {
    /// Assigns the workspace identity Reader on each storage private endpoint the finding names
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-enable-studio-virtual-network#datastore-azure-storage-account).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let workspace = context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) else { return nil }
        let endpoints = finding.evidence.filter { $0.kind == .related }.compactMap(\.resource)
        guard !endpoints.isEmpty else { return nil }
        let principal = workspace.actingIdentity
        return context.propose("assign Reader on \(endpoints.map { "'\($0.name)'" }.joined(separator: ", ")) to identity '\(principal.name)'") { graph in
            for endpoint in endpoints { graph.assign(BuiltInRoles.reader, at: endpoint, to: principal) }
        }
    }
}
