import Foundation
import PalisadeModel
import Testing
@testable import PalisadeTerraform

/// Type constraints and `validation` blocks of variables
/// (https://developer.hashicorp.com/terraform/language/expressions/type-constraints,
/// https://developer.hashicorp.com/terraform/language/values/variables#custom-validation-rules).
@Suite struct VariableTests {
    /// The documented custom validation example: an AMI ID must start with "ami-".
    static let validated = """
    variable "image_id" {
      type        = string
      description = "The id of the machine image (AMI) to use for the server."

      validation {
        condition     = length(var.image_id) > 4 && substr(var.image_id, 0, 4) == "ami-"
        error_message = "The image_id value must be a valid AMI id, starting with \\"ami-\\"."
      }
    }
    variable "space" {
      type    = string
      default = "10.1.0.0/22"
      validation {
        condition     = can(cidrhost(var.space, 0))
        error_message = "space must be an IPv4 prefix such as 10.1.0.0/22."
      }
    }
    resource "azurerm_resource_group" "rg" {
      name     = var.image_id
      location = "westeurope"
    }
    """

    @Test func passingValidationReads() throws {
        let result = try Workspace(["main.tf": Self.validated]).read { $0.variables = [("image_id", "ami-123456")] }
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        #expect(result.graph.all(ResourceGroup.self).first?.name == "ami-123456")
    }

    @Test func failingValidationIsAnErrorAtTheCondition() throws {
        let result = try Workspace(["main.tf": Self.validated]).read { $0.variables = [("image_id", "img-1")] }
        let error = try #require(result.diagnostics.errors.first)
        #expect(error.message.contains("invalid value for variable 'image_id'"))
        #expect(error.message.contains(#"The image_id value must be a valid AMI id, starting with "ami-"."#))
        #expect(error.location?.file.hasSuffix("main.tf") == true)
        #expect(error.location?.line == 6)
        #expect(error.fix?.contains("--var image_id=") == true)
        #expect(result.graph.count == 0)
    }

    @Test func validationOfADefaultAndOfAModuleInput() throws {
        let bad = try Workspace(["main.tf": Self.validated]).read { $0.variables = [("image_id", "ami-1234"), ("space", "not-a-prefix")] }
        #expect(bad.diagnostics.errors.first?.message.contains("space must be an IPv4 prefix") == true)
        #expect(bad.diagnostics.errors.first?.location?.line == 14)
        let module = try Workspace([
            "main.tf": """
            module "net" {
              source = "./net"
              size   = 40
            }
            """,
            "net/main.tf": """
            variable "size" {
              type = number
              validation {
                condition     = var.size >= 8 && var.size <= 32
                error_message = "size must be between 8 and 32."
              }
            }
            """,
        ]).read()
        let error = try #require(module.diagnostics.errors.first)
        #expect(error.message.contains("size must be between 8 and 32."))
        #expect(error.location?.file.hasSuffix("net/main.tf") == true)
        #expect(error.location?.line == 4)
    }

    @Test func valuesAreConvertedToTheDeclaredType() throws {
        let result = try Workspace(["main.tf": """
        variable "count_text" { type = number }
        variable "flag" { type = bool }
        variable "names" { type = set(string) }
        variable "mixed" { type = list(string) }
        variable "settings" {
          type = object({
            name = string
            size = optional(number, 3)
            tags = optional(map(string), {})
          })
        }
        variable "anything" { type = list(any) }
        resource "azurerm_resource_group" "rg" {
          count    = var.count_text
          name     = "${var.settings.name}-${var.settings.size}-${var.flag ? "on" : "off"}"
          location = "westeurope"
          tags = {
            names    = join(",", var.names)
            mixed    = jsonencode(var.mixed)
            anything = jsonencode(var.anything)
            extra    = jsonencode(keys(var.settings))
          }
        }
        """]).read {
            $0.variables = [("count_text", "2"), ("flag", "true"), ("names", #"["b", "a", "b"]"#), ("mixed", "[1, true, \"x\"]"),
                            ("settings", #"{ name = "demo", unused = 1 }"#), ("anything", #"["a", 1]"#)]
        }
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.errors)")
        let groups = result.graph.all(ResourceGroup.self)
        #expect(groups.count == 1)  // both instances have the same name, so the same ID
        let group = try #require(groups.first)
        #expect(group.name == "demo-3-on")
        #expect(group.tags["names"] == "a,b")
        #expect(group.tags["mixed"] == #"["1","true","x"]"#)
        #expect(group.tags["anything"] == #"["a","1"]"#)
        // Attributes the type does not declare are dropped; optional ones are present.
        #expect(group.tags["extra"] == #"["name","size","tags"]"#)
    }

    @Test func valuesOfTheWrongTypeAreErrors() throws {
        let cases: [(String, String, String)] = [
            (#"variable "v" { type = number }"#, "abc", "number required, got string"),
            (#"variable "v" { type = bool }"#, "yes", "bool required, got string"),
            (#"variable "v" { type = list(string) }"#, "{ a = 1 }", "list of string required, got object"),
            (#"variable "v" { type = object({ name = string }) }"#, "{ other = 1 }", "attribute 'name' is required"),
            (#"variable "v" { type = map(number) }"#, #"{ a = "x" }"#, "variable 'v'[\"a\"]: number required"),
        ]
        for (declaration, value, message) in cases {
            let result = try Workspace(["main.tf": declaration + "\noutput \"o\" { value = var.v }\nlocals { x = var.v }\n"
                                        + "resource \"azurerm_resource_group\" \"rg\" {\n  name = jsonencode(local.x)\n  location = \"westeurope\"\n}\n"])
                .read { $0.variables = [("v", value)] }
            let error = result.diagnostics.errors.first
            #expect(error?.message.contains(message) == true, "\(declaration) = \(value): \(String(describing: error?.message))")
            #expect(error?.location?.line == 1, "\(declaration)")
        }
    }
}
