// uptake-notes: a small terminal notes app whose commands are features. It embeds the Uptake
// SDK with its plugins: feature tips and surveys appear in the terminal (one attention budget
// paces them both), first actions are timed.
//
// Usage: uptake-notes [--data DIR] [--endpoint URL] [--write-key KEY] [--ca FILE]

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "notes_store.hpp"
#include "notes_tips.hpp"
#include "uptake/feature_tips.hpp"
#include "uptake/first_action.hpp"
#include "uptake/surveys.hpp"
#include "uptake/uptake.hpp"

namespace {

std::mutex g_out;  // the SDK thread (tips) and the main thread both write to the terminal

void say(const std::string& text) {
  std::lock_guard lock(g_out);
  std::cout << text << std::flush;
}

const char* kHelp =
    "commands:\n"
    "  new TITLE            create a note          list                 list notes\n"
    "  show ID              open a note            edit ID TEXT         replace its text\n"
    "  search WORDS         find notes             tag ID NAME          tag a note\n"
    "  pin ID               pin a note             archive ID           archive a note\n"
    "  export ID            save as Markdown       share ID             copy a share link\n"
    "  login USER           sign in                tip ok|later|never|close   answer a tip\n"
    "  survey SCORE|CHOICE  answer a survey        survey later         not now\n"
    "  why TIP-OR-SURVEY    why it shows or not    stats                what the SDK did\n"
    "  help                 this text              quit                 leave\n";

std::string survey_prompt(const uptake::Survey& s) {
  std::string how;
  if (s.kind == uptake::SurveyKind::choice) {
    for (const auto& c : s.choices) how += (how.empty() ? "survey " : "|") + c;
  } else {
    how = "survey " + std::to_string(s.min_score) + "-" + std::to_string(s.max_score);
  }
  return "\n[survey] " + s.question + "  (" + how + " | survey later)\n> ";
}

// "survey 9" is a score, "survey red" a choice (and "survey 9" for a choice survey its choice
// "9", if it has one: the plugin says what does not fit).
uptake::SurveyResult answer_survey(uptake::Surveys& surveys, const uptake::Survey& s,
                                   const std::string& answer) {
  std::int64_t score = 0;
  const char* end = answer.data() + answer.size();
  const auto parsed = std::from_chars(answer.data(), end, score);
  if (s.kind != uptake::SurveyKind::choice && parsed.ec == std::errc() && parsed.ptr == end)
    return surveys.answered(s.id, score);
  return surveys.answered(s.id, std::string_view(answer));
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = (std::filesystem::current_path() / "notes-data").string();
  std::string endpoint = "http://127.0.0.1:8080", write_key = "wk_test", ca_file;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--data")
      data_dir = value;
    else if (flag == "--endpoint")
      endpoint = value;
    else if (flag == "--write-key")
      write_key = value;
    else if (flag == "--ca")
      ca_file = value;
  }
  std::filesystem::create_directories(data_dir);
  notes::NotesStore store(std::filesystem::path(data_dir) / "notes.tsv");

  std::mutex tip_mutex;
  std::optional<uptake::Tip> last_tip;
  auto tips = std::make_shared<uptake::FeatureTips>([&](const uptake::Tip& tip) {
    // On the SDK's thread: remember it for the 'tip' command and show it right away.
    {
      std::lock_guard lock(tip_mutex);
      last_tip = tip;
    }
    say("\n[tip] " + tip.title + ": " + tip.body + "  (tip ok | tip later | tip never)\n> ");
  });

  std::optional<uptake::Survey> last_survey;  // guarded by tip_mutex
  auto surveys = std::make_shared<uptake::Surveys>([&](const uptake::Survey& survey) {
    {
      std::lock_guard lock(tip_mutex);
      last_survey = survey;
    }
    say(survey_prompt(survey));
  });

  uptake::Config config;
  config.endpoint = endpoint;
  config.write_key = write_key;
  config.tls_ca_file = ca_file;
  config.app_version = "1.4.0";
  config.data_dir = (std::filesystem::path(data_dir) / "uptake").string();
  // Tips and surveys work before /v1/config answers.
  config.default_remote_config = notes::kTipsConfig;
  config.plugins = {tips, surveys, std::make_shared<uptake::FirstAction>()};
  std::unique_ptr<uptake::Client> client;
  try {
    client = std::make_unique<uptake::Client>(config);
  } catch (const std::exception& e) {
    std::cerr << "uptake-notes: " << e.what() << "\n";
    return 1;
  }

  say("uptake-notes: " + std::to_string(store.all().size()) + " notes. Type 'help'.\n> ");
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd, rest;
    in >> cmd;
    std::getline(in >> std::ws, rest);
    int id = std::atoi(rest.c_str());
    std::string arg = rest.find(' ') == std::string::npos ? "" : rest.substr(rest.find(' ') + 1);
    notes::Note* note = store.find(id);
    std::ostringstream out;
    if (cmd.empty()) {
    } else if (cmd == "quit" || cmd == "exit") {
      break;
    } else if (cmd == "help") {
      out << kHelp;
    } else if (cmd == "new" && !rest.empty()) {
      const auto& n = store.create(rest);
      store.save();
      out << "created note " << n.id << "\n";
      client->track("create_note", {{"title_chars", static_cast<std::int64_t>(rest.size())}});
    } else if (cmd == "list") {
      for (const auto& n : store.all()) {
        if (n.archived) continue;
        out << (n.pinned ? "* " : "  ") << n.id << "  " << n.title << "\n";
      }
      client->track("list_notes", {{"count", static_cast<std::int64_t>(store.all().size())}});
    } else if (cmd == "show" && note) {
      out << note->title << "\n" << note->body << "\n";
      client->track("open_note");
    } else if (cmd == "edit" && note) {
      note->body = arg;
      store.save();
      out << "saved\n";
      client->track("edit_note", {{"chars", static_cast<std::int64_t>(arg.size())}});
    } else if (cmd == "search" && !rest.empty()) {
      const auto hits = store.search(rest);
      for (const auto* n : hits) out << "  " << n->id << "  " << n->title << "\n";
      out << hits.size() << " found\n";
      client->track("search", {{"results", static_cast<std::int64_t>(hits.size())}});
    } else if (cmd == "tag" && note && !arg.empty()) {
      note->tags.push_back(arg);
      store.save();
      out << "tagged " << note->id << " #" << arg << "\n";
      client->track("tag_note");
    } else if (cmd == "pin" && note) {
      note->pinned = !note->pinned;
      store.save();
      out << (note->pinned ? "pinned\n" : "unpinned\n");
      client->track("pin_note");
    } else if (cmd == "archive" && note) {
      note->archived = true;
      store.save();
      out << "archived\n";
      client->track("archive_note");
    } else if (cmd == "export" && note) {
      const auto file =
          std::filesystem::path(data_dir) / ("note-" + std::to_string(note->id) + ".md");
      FILE* f = std::fopen(file.c_str(), "w");
      if (f) {
        std::fprintf(f, "# %s\n\n%s\n", note->title.c_str(), note->body.c_str());
        std::fclose(f);
      }
      out << "exported to " << file.string() << "\n";
      client->track("export_note", {{"format", "markdown"}});
    } else if (cmd == "share" && note) {
      out << "link: notes://share/" << client->anonymous_id().substr(0, 8) << "/" << note->id
          << "\n";
      client->track("share_link");
    } else if (cmd == "login" && !rest.empty()) {
      client->identify(rest);
      out << "signed in as " << rest << "\n";
    } else if (cmd == "tip") {
      std::optional<uptake::Tip> tip;
      {
        std::lock_guard lock(tip_mutex);
        tip.swap(last_tip);
      }
      if (!tip) {
        out << "no tip to answer\n";
      } else if (rest == "ok") {
        tips->clicked(tip->id);
        out << "great - try it now\n";
      } else if (rest == "later") {
        tips->dismissed(tip->id, uptake::Dismissal::snooze, 24);
        out << "ok, later\n";
      } else if (rest == "never") {
        tips->dismissed(tip->id, uptake::Dismissal::forever);
        out << "it won't show again\n";
      } else {
        tips->dismissed(tip->id);
        out << "closed\n";
      }
    } else if (cmd == "survey" && !rest.empty()) {
      std::optional<uptake::Survey> survey;
      {
        std::lock_guard lock(tip_mutex);
        survey = last_survey;
      }
      if (!survey) {
        out << "no survey to answer\n";
      } else {
        const bool later = rest == "later";
        const uptake::SurveyResult r =
            later ? surveys->dismissed(survey->id) : answer_survey(*surveys, *survey, rest);
        if (r) {
          std::lock_guard lock(tip_mutex);
          last_survey.reset();
        }
        out << (!r      ? "not recorded: " + r.message
                : later ? "ok, maybe later"
                        : "thank you!")
            << "\n";
      }
    } else if (cmd == "why" && !rest.empty()) {
      const auto tip = tips->explain(rest);
      const auto survey = surveys->explain(rest);
      const bool is_survey = survey.reason.rfind("no survey with this id", 0) != 0;
      const bool would_show = is_survey ? survey.would_show : tip.would_show;
      // A reason for showing says so itself ("would show at the next event").
      out << rest << ": " << (would_show ? "" : "would not show - ")
          << (is_survey ? survey.reason : tip.reason) << "\n";
    } else if (cmd == "stats") {
      const auto s = client->stats();
      out << "sent " << s.sent << ", queued " << s.queued << ", spooled " << s.spooled_events
          << ", retries " << s.retries << ", dropped "
          << (s.dropped_queue_full + s.dropped_client_error) << "\n";
    } else {
      out << "unknown command or bad note id; type 'help'\n";
    }
    say(out.str() + "> ");
  }
  say("\nbye\n");
  client->shutdown(std::chrono::seconds(3));
  return 0;
}
