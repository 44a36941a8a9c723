@testable import PalisadeRender
import Testing

/// The HCL and JSON printers escape what their languages need and lay out blocks as the ecosystems' formatters do.
@Suite struct FormattingTests {
    @Test func hclEscapesTemplateSequencesAndQuotes() {
        #expect(HCL.quote("a\"b") == "\"a\\\"b\"")
        #expect(HCL.quote("${x} %{y}") == "\"$${x} %%{y}\"")
        #expect(HCL.quote("back\\slash") == "\"back\\\\slash\"")
    }

    @Test func hclAlignsEqualsWithinAGroupAndBreaksAtBlocks() {
        var block = HCLBlock("resource", "azurerm_thing", "main")
        block.attr("name", .string("n"))
        block.attr("resource_group_name", .expr("azurerm_resource_group.main.name"))
        var inner = HCLBlock("inner")
        inner.attr("a", .int(1))
        block.block(inner)
        block.attr("tags", .expr("local.tags"))
        let text = HCL.render([block])
        #expect(text == """
            resource "azurerm_thing" "main" {
              name                = "n"
              resource_group_name = azurerm_resource_group.main.name

              inner {
                a = 1
              }

              tags = local.tags
            }

            """)
    }

    @Test func jsonIsTwoSpaceIndentedInInsertionOrder() {
        let json = OrderedJSON.object([("b", .int(1)), ("a", .array([.string("x\"y"), .bool(true)])), ("c", .object([]))])
        #expect(json.rendered() == """
            {
              "b": 1,
              "a": [
                "x\\"y",
                true
              ],
              "c": {}
            }

            """)
    }

    @Test func environmentNameIsFoundAtTokenBoundariesOnly() {
        #expect(RenderContext.split("vnet-test", on: "test") == [.literal("vnet-"), .environmentName])
        #expect(RenderContext.split("sttest1234", on: "test") == [.literal("st"), .environmentName, .literal("1234")])
        #expect(RenderContext.split("kv-test-1234", on: "test") == [.literal("kv-"), .environmentName, .literal("-1234")])
        #expect(RenderContext.split("snet-testing", on: "test") == [.literal("snet-testing")])
        #expect(RenderContext.split("AzureFirewallSubnet", on: "hub") == [.literal("AzureFirewallSubnet")])
    }
}
