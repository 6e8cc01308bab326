// The notes example as a person uses it: driven through a pseudo-terminal, talking to a real
// collector. A tip shows in the terminal, the user accepts it, and the collector stores
// $tip_shown then $tip_clicked; a survey is asked, a bad score refused, the answer stored.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "collector_process.hpp"
#include "stored_events.hpp"
#include "temp_dir.hpp"

using namespace uptake::test;

namespace {

class Terminal {
 public:
  explicit Terminal(std::vector<std::string> args) {
    pid_ = forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }
  void type(const std::string& line) {
    const std::string text = line + "\n";
    ASSERT_EQ(write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  /// Reads the screen until `needle` appears (true) or the timeout passes (false).
  bool wait_for(const std::string& needle,
                std::chrono::seconds timeout = std::chrono::seconds(15)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (screen_.find(needle, consumed_) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return screen_.find(needle, consumed_) != std::string::npos;
      screen_.append(buf, static_cast<std::size_t>(n));
    }
    consumed_ = screen_.find(needle, consumed_) + needle.size();
    return true;
  }
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  const std::string& screen() const { return screen_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string screen_;
  std::size_t consumed_ = 0;
};

std::int64_t count(const std::string& db_path, const std::string& sql) {
  return stored_events_int(db_path, sql);
}

}  // namespace

TEST(NotesApp, ShowsATipInTheTerminalAndTheCollectorRecordsShownThenClicked) {
  TempDir dir;
  const std::string db = dir.str("notes.db");
  CollectorProcess collector(
      {"--db", "sqlite:" + db, "--app", "notes:wk_notes:rk_notes", "--admin-key", "adm"});
  const std::string tips = R"({"key_actions":["create_note","search"],"tips":[
    {"id":"tip-search","feature":"search","title":"Find anything","body":"Type search WORDS.",
     "when":{"used":["create_note"],"after_event":"create_note"},"priority":10}],
    "limits":{"max_tips_per_session":1}})";
  ASSERT_EQ(http_request(collector.port(), "PUT", "/v1/config?app=notes",
                         {{"Authorization", "Bearer adm"}}, tips)
                .status,
            200);

  Terminal term({UPTAKE_NOTES_BINARY, "--data", dir.str("app"), "--endpoint", collector.url(),
                 "--write-key", "wk_notes"});
  ASSERT_TRUE(term.wait_for("Type 'help'")) << term.screen();
  term.type("new Groceries");
  ASSERT_TRUE(term.wait_for("created note 1")) << term.screen();
  ASSERT_TRUE(term.wait_for("[tip] Find anything")) << term.screen();
  term.type("why tip-search");
  ASSERT_TRUE(term.wait_for("tip-search: would not show")) << term.screen();
  term.type("tip ok");
  ASSERT_TRUE(term.wait_for("great")) << term.screen();
  term.type("search groc");
  ASSERT_TRUE(term.wait_for("1 found")) << term.screen();
  term.type("quit");
  ASSERT_TRUE(term.wait_for("bye")) << term.screen();
  const int status = term.wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM events WHERE name='$tip_shown' AND "
                  "json_extract(props,'$.tip')='tip-search'"),
            1);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM events WHERE name='$tip_clicked' AND "
                  "json_extract(props,'$.tip')='tip-search'"),
            1);
  EXPECT_EQ(count(db,
                  "SELECT (SELECT ts FROM events WHERE name='$tip_shown') <= (SELECT ts FROM "
                  "events WHERE name='$tip_clicked')"),
            1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM events WHERE name='$install'"), 1);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM events WHERE name='$first_action' AND "
                  "json_extract(props,'$.feature')='search'"),
            1);
}

TEST(NotesApp, AsksASurveyInTheTerminalAndTheCollectorRecordsTheAnswer) {
  TempDir dir;
  const std::string db = dir.str("notes.db");
  CollectorProcess collector(
      {"--db", "sqlite:" + db, "--app", "notes:wk_notes:rk_notes", "--admin-key", "adm"});
  const std::string config = R"({"key_actions":["create_note"],"surveys":[
    {"id":"nps-pty","kind":"nps","question":"Would you recommend uptake-notes?",
     "when":{"after_event":"create_note"},"priority":30}],
    "limits":{"max_prompts_per_session":1}})";
  ASSERT_EQ(http_request(collector.port(), "PUT", "/v1/config?app=notes",
                         {{"Authorization", "Bearer adm"}}, config)
                .status,
            200);

  Terminal term({UPTAKE_NOTES_BINARY, "--data", dir.str("app"), "--endpoint", collector.url(),
                 "--write-key", "wk_notes"});
  ASSERT_TRUE(term.wait_for("Type 'help'")) << term.screen();
  // The app fetches the collector's config as it starts; `why` shows when it has it.
  bool fetched = false;
  for (int i = 0; i < 50 && !fetched; ++i) {
    term.type("why nps-pty");
    fetched =
        term.wait_for("nps-pty: would show after event 'create_note'", std::chrono::seconds(1));
  }
  ASSERT_TRUE(fetched) << term.screen();
  term.type("new Groceries");
  ASSERT_TRUE(term.wait_for("created note 1")) << term.screen();
  ASSERT_TRUE(term.wait_for("[survey] Would you recommend uptake-notes?  (survey 0-10"))
      << term.screen();
  term.type("survey 11");
  ASSERT_TRUE(term.wait_for("not recorded: score 11 is out of range")) << term.screen();
  term.type("survey 9");
  ASSERT_TRUE(term.wait_for("thank you!")) << term.screen();
  term.type("survey 10");
  ASSERT_TRUE(term.wait_for("no survey to answer")) << term.screen();
  term.type("why nps-pty");
  ASSERT_TRUE(term.wait_for("nps-pty: would not show - already answered")) << term.screen();
  term.type("quit");
  ASSERT_TRUE(term.wait_for("bye")) << term.screen();
  const int status = term.wait_exit();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM events WHERE name='$survey_shown' AND "
                  "json_extract(props,'$.survey')='nps-pty'"),
            1);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM events WHERE name='$survey_answered' AND "
                  "json_extract(props,'$.survey')='nps-pty' AND "
                  "json_extract(props,'$.score')=9"),
            1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM events WHERE name='$survey_answered'"), 1)
      << "the refused score was never sent";
  EXPECT_EQ(count(db,
                  "SELECT (SELECT ts FROM events WHERE name='$survey_shown') <= (SELECT ts FROM "
                  "events WHERE name='$survey_answered')"),
            1);
}
