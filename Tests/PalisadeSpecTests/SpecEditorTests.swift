import PalisadeSpec
import Testing

/// Spec edits keep every other byte of the file.
@Suite struct SpecEditorTests {
    @Test func replacesAScalarInAFlowMapping() throws {
        #expect(try SpecEditor.apply([("storage.sharedKeyAccess", "false")], to: "storage: {sharedKeyAccess: true}") == "storage: {sharedKeyAccess: false}")
        #expect(try SpecEditor.apply([("a.b", "x")], to: "a: {c: 1, b: 'q', d: 2}") == "a: {c: 1, b: x, d: 2}")
    }

    @Test func replacesAScalarInABlockMappingKeepingComments() throws {
        let text = "# top\nkeyVault:\n  purgeProtection: false  # why\n  rbacAuthorization: true\n"
        #expect(try SpecEditor.apply([("keyVault.purgeProtection", "true")], to: text)
                == "# top\nkeyVault:\n  purgeProtection: true  # why\n  rbacAuthorization: true\n")
    }

    @Test func addsMissingKeys() throws {
        #expect(try SpecEditor.apply([("workspace.publicNetworkAccess", "false")], to: "storage: {sku: Standard_ZRS}\n")
                == "workspace: {publicNetworkAccess: false}\nstorage: {sku: Standard_ZRS}\n")
        #expect(try SpecEditor.apply([("compute.publicIp", "false")], to: "compute: {instance: {name: ci}}")
                == "compute: {instance: {name: ci}, publicIp: false}")
        #expect(try SpecEditor.apply([("keyVault.purgeProtection", "true")], to: "keyVault:\n  rbacAuthorization: true\n")
                == "keyVault:\n  purgeProtection: true\n  rbacAuthorization: true\n")
        #expect(try SpecEditor.apply([("a", "1")], to: "") == "a: 1\n")
    }

    @Test func refusesWhatItCannotEditInPlace() {
        #expect(throws: SpecEditor.EditError.self) { try SpecEditor.apply([("a.b", "1")], to: "a: [1, 2]") }
        #expect(throws: SpecEditor.EditError.self) { try SpecEditor.apply([("a", "1")], to: "a: |\n  text\n") }
    }

    @Test func replacesAFlowListOnOneLine() throws {
        let text = "# rules\nworkspace: {managedNetwork: {outboundRules: [{name: blobs, type: FQDN, destination: '*.blob.core.windows.net'}], isolationMode: AllowOnlyApprovedOutbound}}  # keep\n"
        #expect(try SpecEditor.apply([("workspace.managedNetwork.outboundRules", "[]")], to: text)
                == "# rules\nworkspace: {managedNetwork: {outboundRules: [], isolationMode: AllowOnlyApprovedOutbound}}  # keep\n")
        #expect(try SpecEditor.apply([("firewall.allowFqdns", "[a.org, \"b]c.org\"]")], to: "firewall:\n  allowFqdns: [\"x]y.org\", z.org]\n")
                == "firewall:\n  allowFqdns: [a.org, \"b]c.org\"]\n")
    }

    @Test func leavesBlockListsToTheUser() {
        #expect(throws: SpecEditor.EditError.self) {
            try SpecEditor.apply([("firewall.allowFqdns", "[a.org]")], to: "firewall:\n  allowFqdns:\n    - x.org\n")
        }
    }
}
