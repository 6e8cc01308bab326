// The route table (api/routes.hpp): which path and method reach which route, what a 405
// advertises, which keys each route takes and where its handler runs.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "api/routes.hpp"

using namespace uptake::collector;

namespace {

const Route& route(std::string_view method, std::string_view path) {
  const RouteMatch m = match_route(method, path);
  if (m.route == nullptr) {
    ADD_FAILURE() << method << " " << path << " matches no route";
    static const Route none{};
    return none;
  }
  return *m.route;
}

std::set<Role> roles_allowed(const Route& r) {
  std::set<Role> out;
  for (Role role : {Role::write, Role::read, Role::admin}) {
    if (allows(r.keys, role)) out.insert(role);
  }
  return out;
}

}  // namespace

TEST(Routes, ExactPathsMatchTheirOwnMethod) {
  const std::pair<std::string_view, std::string_view> exact[] = {
      {"GET", "/healthz"},   {"GET", "/metrics"},   {"GET", "/"},          {"GET", "/index.html"},
      {"POST", "/v1/batch"}, {"GET", "/v1/config"}, {"PUT", "/v1/config"},
  };
  for (const auto& [method, path] : exact) {
    const RouteMatch m = match_route(method, path);
    ASSERT_NE(m.route, nullptr) << method << " " << path;
    EXPECT_EQ(m.route->method, method);
    EXPECT_EQ(m.route->path, path);
    EXPECT_TRUE(m.path_known);
  }
}

TEST(Routes, ExactPathsMatchNothingLongerOrShorter) {
  for (std::string_view path :
       {"/healthz/", "/healthzz", "/healthz/x", "/metric", "/v1/batch/", "/v1/batchx", "/v1/batc",
        "/v1/config/", "/v1/config/x", "/V1/BATCH", "//", "", "/v2/batch"}) {
    const RouteMatch m = match_route("GET", path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.path_known) << path;
    EXPECT_EQ(m.family, "other") << path;
    const RouteMatch post = match_route("POST", path);
    EXPECT_EQ(post.route, nullptr) << path;
    EXPECT_FALSE(post.path_known) << path;
  }
}

TEST(Routes, PrefixRoutesMatchWhatFollowsThePrefix) {
  const RouteMatch report = match_route("GET", "/v1/reports/overview");
  ASSERT_NE(report.route, nullptr);
  EXPECT_EQ(report.route->path, "/v1/reports/");
  EXPECT_TRUE(report.route->prefix);
  EXPECT_EQ(report.family, "/v1/reports");

  const RouteMatch user = match_route("DELETE", "/v1/users/alice%40example.com");
  ASSERT_NE(user.route, nullptr);
  EXPECT_EQ(user.route->path, "/v1/users/");
  EXPECT_EQ(user.family, "/v1/users");
}

TEST(Routes, APrefixAloneNamesNothing) {
  // "/v1/reports/" alone is not a report, and "/v1/users/" deletes nobody.
  for (const auto& [method, path] :
       {std::pair{"GET", "/v1/reports/"}, std::pair{"GET", "/v1/reports"},
        std::pair{"DELETE", "/v1/users/"}, std::pair{"DELETE", "/v1/users"}}) {
    const RouteMatch m = match_route(method, path);
    EXPECT_EQ(m.route, nullptr) << path;
    EXPECT_FALSE(m.path_known) << path;
    EXPECT_EQ(m.family, "other") << path;
  }
}

TEST(Routes, AKnownPathUnderAnotherMethodIs405WithItsAllowedMethods) {
  struct Case {
    std::string_view method, path, allowed, family;
  };
  const Case cases[] = {
      {"POST", "/healthz", "GET", "/healthz"},
      {"DELETE", "/metrics", "GET", "/metrics"},
      {"POST", "/", "GET", "/"},
      {"GET", "/v1/batch", "POST", "/v1/batch"},
      {"PUT", "/v1/batch", "POST", "/v1/batch"},
      {"DELETE", "/v1/config", "GET, PUT", "/v1/config"},
      {"POST", "/v1/config", "GET, PUT", "/v1/config"},
      {"GET", "/v1/users/bob", "DELETE", "/v1/users"},
      {"POST", "/v1/reports/overview", "GET", "/v1/reports"},
      {"get", "/healthz", "GET", "/healthz"},  // methods are case-sensitive
  };
  for (const Case& c : cases) {
    const RouteMatch m = match_route(c.method, c.path);
    EXPECT_EQ(m.route, nullptr) << c.method << " " << c.path;
    EXPECT_TRUE(m.path_known) << c.method << " " << c.path;
    EXPECT_EQ(m.allowed, c.allowed) << c.method << " " << c.path;
    EXPECT_EQ(m.family, c.family) << c.method << " " << c.path;
  }
}

TEST(Routes, OnlyAWriteKeyMayPostBatches) {
  EXPECT_EQ(roles_allowed(route("POST", "/v1/batch")), std::set<Role>{Role::write});
}

TEST(Routes, OnlyTheAdminKeyReplacesConfigsAndDeletesUsers) {
  EXPECT_EQ(roles_allowed(route("PUT", "/v1/config")), std::set<Role>{Role::admin});
  EXPECT_EQ(roles_allowed(route("DELETE", "/v1/users/bob")), std::set<Role>{Role::admin});
}

TEST(Routes, ReportsTakeTheReadKeyOrTheAdminKeyButNeverTheWriteKey) {
  const Route& r = route("GET", "/v1/reports/features");
  EXPECT_TRUE(allows(r.keys, Role::read));
  EXPECT_TRUE(allows(r.keys, Role::admin));
  // The write key ships inside every client app: it must never read reports.
  EXPECT_FALSE(allows(r.keys, Role::write));
}

TEST(Routes, TheConfigIsReadWithTheWriteKeyOrTheAdminKey) {
  const Route& r = route("GET", "/v1/config");
  EXPECT_TRUE(allows(r.keys, Role::write));
  EXPECT_TRUE(allows(r.keys, Role::admin));
}

TEST(Routes, OperationsAndTheDashboardNeedNoKey) {
  for (std::string_view path : {"/healthz", "/metrics", "/", "/index.html"}) {
    const Route& r = route("GET", path);
    EXPECT_EQ(r.keys, Keys::none) << path;
    EXPECT_TRUE(roles_allowed(r).empty()) << path;
  }
}

TEST(Routes, ReportsAndAdminRoutesNeverRunOnAnIoThread) {
  EXPECT_EQ(route("GET", "/v1/reports/retention").runs, RunsOn::report_pool);
  EXPECT_EQ(route("PUT", "/v1/config").runs, RunsOn::admin_pool);
  EXPECT_EQ(route("DELETE", "/v1/users/bob").runs, RunsOn::admin_pool);
  // Whatever is added later: no route that only the admin key may call, and no report, runs
  // where it could delay ingest or a health check.
  for (const Route& r : routes()) {
    if (r.keys == Keys::admin || r.family == "/v1/reports") {
      EXPECT_NE(r.runs, RunsOn::io_thread) << r.method << " " << r.path;
    }
  }
}

TEST(Routes, IngestAndHealthChecksAnswerOnTheIoThread) {
  // They must never queue behind a report or a deletion.
  EXPECT_EQ(route("POST", "/v1/batch").runs, RunsOn::io_thread);
  EXPECT_EQ(route("GET", "/healthz").runs, RunsOn::io_thread);
}

TEST(Routes, TheBatchRouteIsAdmittedFromItsHeadersBeforeItsBody) {
  EXPECT_NE(route("POST", "/v1/batch").admit, nullptr);
}

TEST(Routes, EveryRouteIsDeclaredOnceAndReachesItself) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const Route& r : routes()) {
    EXPECT_TRUE(seen.insert({r.method, r.path}).second) << r.method << " " << r.path;
    EXPECT_NE(r.handle, nullptr) << r.method << " " << r.path;
    EXPECT_FALSE(r.family.empty()) << r.method << " " << r.path;
    const std::string path = std::string(r.path) + (r.prefix ? "x" : "");
    const RouteMatch m = match_route(r.method, path);
    EXPECT_EQ(m.route, &r) << r.method << " " << path;
    EXPECT_EQ(m.family, r.family);
    EXPECT_NE(m.allowed.find(r.method), std::string_view::npos) << m.allowed;
  }
  EXPECT_EQ(seen.size(), routes().size());
}

TEST(Routes, AllowsTestsTheRolesBitOnly) {
  const Keys read_or_admin = Keys::read | Keys::admin;
  EXPECT_FALSE(allows(read_or_admin, Role::write));
  EXPECT_TRUE(allows(read_or_admin, Role::read));
  EXPECT_TRUE(allows(read_or_admin, Role::admin));
  EXPECT_TRUE(allows(Keys::write, Role::write));
  EXPECT_FALSE(allows(Keys::write, Role::admin));
  for (Role role : {Role::write, Role::read, Role::admin}) EXPECT_FALSE(allows(Keys::none, role));
}
