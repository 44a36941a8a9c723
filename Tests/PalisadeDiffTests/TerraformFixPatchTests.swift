import PalisadeRules
import Testing
@testable import PalisadeDiff

/// Terraform fix snippets become exact edits of the user's file, or no edit at all.
@Suite struct TerraformFixPatchTests {
    static let file = """
    resource "azurerm_container_registry" "acr" {
      name                = "crexample" # the registry
      sku                 = "Premium"
      admin_enabled       = true   # for a test
      tags = {
        admin_enabled = "true"
      }
    }
    """

    @Test func changedArgumentReplacesOnlyItsValue() throws {
        let snippet = """
          resource "azurerm_container_registry" "acr" {
          …
        -   admin_enabled                 = true
        +   admin_enabled                 = false
          …
          }
        """
        let changes = try #require(TerraformFixPatch.changes(in: snippet))
        #expect(changes == ["azurerm_container_registry.acr": [.init(name: "admin_enabled", old: "true", new: "false")]])
        let edits = try #require(TerraformFixPatch.replacements(changes["azurerm_container_registry.acr"]!, file: "main.tf", text: Self.file, line: 1))
        #expect(edits.count == 1)
        #expect(edits[0].applied(to: Self.file) == Self.file.replacingOccurrences(of: "= true   # for a test", with: "= false   # for a test"))
    }

    @Test func argumentNotSetIsInsertedAfterTheBlockHeader() throws {
        let changes = [TerraformFixPatch.ArgumentChange(name: "public_network_access_enabled", old: nil, new: "false")]
        let edits = try #require(TerraformFixPatch.replacements(changes, file: "main.tf", text: Self.file, line: 1))
        let patched = try #require(edits[0].applied(to: Self.file))
        #expect(patched.hasPrefix("resource \"azurerm_container_registry\" \"acr\" {\n  public_network_access_enabled = false\n  name "))
    }

    /// No patch when the literal differs from the model's old value (a variable, another value), when the argument
    /// is set twice at the top level, or when the snippet holds more than argument changes.
    @Test func refusesWhatItCannotPlaceExactly() {
        let change = [TerraformFixPatch.ArgumentChange(name: "admin_enabled", old: "true", new: "false")]
        let variable = Self.file.replacingOccurrences(of: "= true   # for a test", with: "= var.admin")
        #expect(TerraformFixPatch.replacements(change, file: "f", text: variable, line: 1) == nil)
        #expect(TerraformFixPatch.replacements(change, file: "f", text: Self.file, line: 2) == nil)
        let inserted = [TerraformFixPatch.ArgumentChange(name: "sku", old: nil, new: "\"Standard\"")]
        #expect(TerraformFixPatch.replacements(inserted, file: "f", text: Self.file, line: 1) == nil)
        #expect(TerraformFixPatch.changes(in: """
          resource "azurerm_storage_account" "st" {
        +   network_rules {
        +     default_action = "Deny"
        +   }
          }
        """) == nil)
        #expect(TerraformFixPatch.changes(in: """
        + resource "azurerm_private_endpoint" "pe" {
        +   name = "pe"
        + }
        """) == nil)
        #expect(TerraformFixPatch.changes(in: """
          resource "azurerm_container_registry" "acr" {
        -   admin_enabled = true
          }
        """) == nil)
    }

    @Test func valueSpansStopAtCommentsAndKeepStrings() {
        #expect(TerraformFixPatch.valueSpan("  a = \"x # y\" # note") == 6..<13)
        #expect(TerraformFixPatch.valueSpan("  a = [\"x\",") == nil)
        #expect(TerraformFixPatch.valueSpan("  a = <<EOT") == nil)
        #expect(TerraformFixPatch.braceBalance("  tags = { a = \"}\" } // {") == 0)
    }
}

/// References in a new value are found, so a patch never writes an address the configuration does not declare.
@Suite struct TerraformReferenceTests {
    @Test func referencesAreFound() {
        #expect(FixReview.terraformReferences(in: "azurerm_subnet.training.id") == ["azurerm_subnet.training"])
        #expect(FixReview.terraformReferences(in: "[azurerm_subnet.a.id, data.azurerm_subnet.b.id]") == ["azurerm_subnet.a", "data.azurerm_subnet.b"])
        #expect(FixReview.terraformReferences(in: "\"Deny\"").isEmpty)
        #expect(FixReview.terraformReferences(in: "false").isEmpty)
    }
}
