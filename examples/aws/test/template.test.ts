// The CloudFormation template makes in AWS what the emulator makes from the example app's
// `defineAuth` config: the same sign-in, attributes, groups and hosted-UI URLs, an app client
// that cogkit can use from a browser, and an identity pool with both roles. The template is
// plain YAML (long-form intrinsics, no `!Ref` tags), so any YAML parser reads it.
import { readFileSync } from "node:fs";
import { standardAttributeNames } from "@cogkit/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { auth } from "../../react-vite/src/auth.js";

type Node = Record<string, any>;
const template: Node = parse(readFileSync(new URL("../template.yaml", import.meta.url), "utf8"));
const resources: Record<string, { Type: string; Properties: Node; Condition?: string }> = template.Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, resource]) => resource.Type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found.map(([name]) => name), type).toHaveLength(1);
  return { name: found[0]![0], ...found[0]![1] };
};
const ref = (name: string) => ({ Ref: name });

/** Every name an intrinsic function uses: Ref, Fn::GetAtt, Fn::Sub's ${...}, Fn::If's condition. */
function references(node: unknown, found: { names: string[]; conditions: string[] } = { names: [], conditions: [] }) {
  if (Array.isArray(node)) for (const item of node) references(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "Ref") found.names.push(value as string);
      else if (key === "Fn::GetAtt") found.names.push((value as string[])[0]!);
      else if (key === "Fn::Sub") {
        const text = Array.isArray(value) ? value[0] : value;
        for (const [, name] of String(text).matchAll(/\$\{([\w:]+)(?:\.\w+)?\}/g)) found.names.push(name!);
      } else if (key === "Fn::If") found.conditions.push((value as string[])[0]!);
      // A resource's condition (a name); an IAM statement's `Condition` is an object.
      else if (key === "Condition" && typeof value === "string") found.conditions.push(value);
      references(value, found);
    }
  }
  return found;
}

/** The values of a list that may hold `Fn::If` items: each condition's branch taken. */
const withConditions = (list: unknown[]) =>
  list.flatMap((item) => (item && typeof item === "object" && "Fn::If" in item ? [(item as Node)["Fn::If"][1]] : [item]));

describe("examples/aws/template.yaml", () => {
  it("is a CloudFormation template whose references all resolve", () => {
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    const { names, conditions } = references(template.Resources);
    const known = new Set([...Object.keys(resources), ...Object.keys(template.Parameters ?? {}), "AWS::Region", "AWS::NoValue", "AWS::StackName", "AWS::URLSuffix"]);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    expect(conditions.filter((name) => !(name in (template.Conditions ?? {})))).toEqual([]);
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(["Region", "UserPoolId", "UserPoolClientId", "IdentityPoolId", "HostedUiDomain"]));
  });

  it("makes a user pool that signs in with email and has the config's attribute schema", () => {
    const pool = only("AWS::Cognito::UserPool");
    expect(pool.Properties.UsernameAttributes).toEqual(["email"]);
    expect(auth.loginWith).toMatchObject({ email: true });
    const schema: Node[] = pool.Properties.Schema;
    const expected = Object.entries(auth.userAttributes!).map(([key, settings]: [string, Node]) =>
      key.startsWith("custom:")
        ? { Name: key.slice("custom:".length), AttributeDataType: settings.dataType, Mutable: settings.mutable ?? true }
        : { Name: (standardAttributeNames as Record<string, string>)[key], AttributeDataType: "String", Required: settings.required ?? false, Mutable: settings.mutable ?? true },
    );
    // In the emulator, as in Cognito, an attribute is mutable unless it says `mutable: false`.
    expect(schema).toEqual(expected.map((attribute) => expect.objectContaining(attribute)));
  });

  it("makes the config's groups, and no other", () => {
    const groups = ofType("AWS::Cognito::UserPoolGroup").map(([, group]) => group.Properties);
    expect(groups.map((group) => group.GroupName).sort()).toEqual([...auth.groups!].sort());
    for (const group of groups) expect(group.UserPoolId).toEqual(ref(only("AWS::Cognito::UserPool").name));
  });

  it("makes a public app client with the flows cogkit uses and the config's hosted-UI URLs", () => {
    const client = only("AWS::Cognito::UserPoolClient").Properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
    expect(client.PreventUserExistenceErrors).toBe("ENABLED");
    expect(client.EnableTokenRevocation).toBe(true);
    // The emulator's lifetimes: an hour for ID and access tokens, 30 days for refresh tokens.
    expect(client).toMatchObject({ AccessTokenValidity: 60, IdTokenValidity: 60, RefreshTokenValidity: 30 });
    expect(client.TokenValidityUnits).toEqual({ AccessToken: "minutes", IdToken: "minutes", RefreshToken: "days" });
    expect(client.AllowedOAuthFlows).toEqual(["code"]);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.AllowedOAuthScopes).toEqual(["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]);
    // Cognito takes plain http only for localhost: the config's 127.0.0.1 dev URL under that name.
    const external = auth.loginWith!.externalProviders!;
    const asLocalhost = (urls: string[]) => urls.map((url) => url.replace("//127.0.0.1:", "//localhost:"));
    expect(client.CallbackURLs).toEqual(ref("AppUrls"));
    expect(client.LogoutURLs).toEqual(ref("AppUrls"));
    expect(template.Parameters.AppUrls.Default.split(",")).toEqual(asLocalhost(external.callbackUrls));
    expect(asLocalhost(external.logoutUrls)).toEqual(asLocalhost(external.callbackUrls));
    // The config's Google and Apple sign-in, each made when its client id is given.
    const providers = withConditions(client.SupportedIdentityProviders);
    expect(providers).toEqual(["COGNITO", ref("GoogleProvider"), ref("AppleProvider")]);
    expect(resources.GoogleProvider).toMatchObject({ Type: "AWS::Cognito::UserPoolIdentityProvider", Properties: { ProviderName: "Google", ProviderType: "Google" } });
    expect(resources.AppleProvider).toMatchObject({ Type: "AWS::Cognito::UserPoolIdentityProvider", Properties: { ProviderName: "SignInWithApple", ProviderType: "SignInWithApple" } });
    expect(Object.keys(external).filter((key) => !["domain", "callbackUrls", "logoutUrls"].includes(key)).sort()).toEqual(["google", "signInWithApple"]);
  });

  it("gives the user pool a hosted-UI domain", () => {
    const domain = only("AWS::Cognito::UserPoolDomain").Properties;
    expect(domain.UserPoolId).toEqual(ref(only("AWS::Cognito::UserPool").name));
    expect(domain.Domain).toEqual(ref("DomainPrefix"));
  });

  it("makes an identity pool for the app client, guests allowed, with a role for each kind of identity", () => {
    const pool = only("AWS::Cognito::IdentityPool");
    expect(pool.Properties.AllowUnauthenticatedIdentities).toBe(true);
    expect(pool.Properties.CognitoIdentityProviders).toEqual([
      { ClientId: ref(only("AWS::Cognito::UserPoolClient").name), ProviderName: { "Fn::GetAtt": [only("AWS::Cognito::UserPool").name, "ProviderName"] } },
    ]);
    const attachment = only("AWS::Cognito::IdentityPoolRoleAttachment").Properties;
    expect(attachment.IdentityPoolId).toEqual(ref(pool.name));
    for (const [kind, amr] of [["authenticated", "authenticated"], ["unauthenticated", "unauthenticated"]] as const) {
      const roleName = attachment.Roles[kind]["Fn::GetAtt"][0];
      const role = resources[roleName]!;
      expect(role.Type).toBe("AWS::IAM::Role");
      // Only this identity pool's identities of this kind may take the role.
      const [statement] = role.Properties.AssumeRolePolicyDocument.Statement;
      expect(statement).toMatchObject({
        Effect: "Allow",
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: expect.arrayContaining(["sts:AssumeRoleWithWebIdentity"]),
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": ref(pool.name) },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": amr },
        },
      });
    }
  });
});
