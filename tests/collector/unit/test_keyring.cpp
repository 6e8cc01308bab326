// Bearer keys (api/keyring.hpp): which app and role a key stands for, and how the key is read
// from an Authorization header.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/keyring.hpp"

using namespace uptake::collector;

namespace {

const std::vector<AppKeys> kApps = {{"notes", "w-notes", "r-notes"}, {"maps", "w-maps", "r-maps"}};

void expect_grant(const Keyring& ring, std::string_view key, Role role, std::string_view app) {
  const auto grant = ring.lookup(key);
  ASSERT_TRUE(grant) << key;
  EXPECT_EQ(grant->role, role) << key;
  EXPECT_EQ(grant->app, app) << key;
}

}  // namespace

TEST(Keyring, WriteAndReadKeysGrantTheirRoleForTheirApp) {
  const Keyring ring(kApps, "admin-secret");
  expect_grant(ring, "w-notes", Role::write, "notes");
  expect_grant(ring, "r-notes", Role::read, "notes");
  expect_grant(ring, "w-maps", Role::write, "maps");
  expect_grant(ring, "r-maps", Role::read, "maps");
}

TEST(Keyring, TheAdminKeyGrantsAdminForNoParticularApp) {
  const Keyring ring(kApps, "admin-secret");
  expect_grant(ring, "admin-secret", Role::admin, "");
}

TEST(Keyring, UnknownKeysAreRefused) {
  const Keyring ring(kApps, "admin-secret");
  for (std::string_view key : {"", "w-note", "w-notesx", "W-NOTES", "w-notes ", " w-notes", "admin",
                               "admin-secret2", "notes"}) {
    EXPECT_FALSE(ring.lookup(key)) << "'" << key << "'";
  }
}

TEST(Keyring, WithoutAnAdminKeyNoKeyIsAdmin) {
  const Keyring ring(kApps, "");
  EXPECT_FALSE(ring.lookup(""));
  EXPECT_FALSE(ring.lookup("admin-secret"));
  expect_grant(ring, "r-maps", Role::read, "maps");
}

TEST(Keyring, KnowsItsApps) {
  const Keyring ring(kApps, "admin-secret");
  EXPECT_TRUE(ring.has_app("notes"));
  EXPECT_TRUE(ring.has_app("maps"));
  EXPECT_FALSE(ring.has_app("Notes"));
  EXPECT_FALSE(ring.has_app(""));  // the admin key's empty app is no app
  EXPECT_EQ(ring.apps(), (std::vector<std::string>{"notes", "maps"}));
}

TEST(BearerToken, IsTheKeyAfterTheScheme) {
  EXPECT_EQ(bearer_token("Bearer w-notes"), "w-notes");
  EXPECT_EQ(bearer_token("Bearer a b"), "a b");
}

TEST(BearerToken, TheSchemeIsCaseInsensitive) {
  EXPECT_EQ(bearer_token("bearer k1"), "k1");
  EXPECT_EQ(bearer_token("BEARER k1"), "k1");
  EXPECT_EQ(bearer_token("bEaReR k1"), "k1");
}

TEST(BearerToken, SpacesAroundTheKeyAreNotPartOfIt) {
  EXPECT_EQ(bearer_token("Bearer    k1"), "k1");
  EXPECT_EQ(bearer_token("Bearer k1   "), "k1");
  EXPECT_EQ(bearer_token("Bearer   k1  "), "k1");
}

TEST(BearerToken, IsEmptyWhenMissingOrMalformed) {
  for (std::string_view header : {"", "Bearer", "Bearer ", "Bearer     ", "Bearerk1",
                                  "Basic dXNlcjpwYXNz", "Token k1", "k1"}) {
    EXPECT_EQ(bearer_token(header), "") << "'" << header << "'";
  }
}
