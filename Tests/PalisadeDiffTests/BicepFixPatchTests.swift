import Testing
@testable import PalisadeDiff

/// Bicep fix snippets become exact edits of the user's file, or no edit at all.
@Suite struct BicepFixPatchTests {
    @Test func snippetValueChangesAreRead() throws {
        let snippet = """
          resource containerRegistry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
          …
        -     adminUserEnabled: true
        +     adminUserEnabled: false
          …
          }
        """
        #expect(BicepFixPatch.changes(in: snippet) == [
            .init(type: "Microsoft.ContainerRegistry/registries", key: "adminUserEnabled", old: "true", new: "false"),
        ])
    }

    /// Added or removed properties, nested objects and new resources are not value changes.
    @Test func anythingElseIsNoPatch() {
        #expect(BicepFixPatch.changes(in: """
          resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
        +     allowBlobPublicAccess: false
          }
        """) == nil)
        #expect(BicepFixPatch.changes(in: """
          resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
        -     networkAcls: {
        +     networkAcls: {
          }
        """) == nil)
        #expect(BicepFixPatch.changes(in: """
        + resource pe 'Microsoft.Network/privateEndpoints@2023-09-01' = {
        +   name: 'pe'
        + }
        """) == nil)
    }

    @Test func valuesEndAtComments() {
        let line = Array("    publicNetworkAccess: 'Enabled' // for a test".unicodeScalars)
        #expect(BicepFixPatch.valueSpan(line, from: 24) == 25..<34)
        #expect(BicepFixPatch.valueSpan(Array("  tags: {".unicodeScalars), from: 7) == nil)
    }
}
