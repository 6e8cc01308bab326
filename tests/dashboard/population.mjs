// A deterministic population for the dashboard test: about a hundred people in five accounts
// (two pilot-wave accounts, three later ones, and people with no account), person traits,
// three app versions rolled out over the weeks, two tips (one with a control group, one
// without), and an NPS, a CSAT and a choice survey. Every event falls in the 40 days before
// ANCHOR, so the events, and every figure of the window WINDOW, are the same on every run.
const DAY = 86_400_000;
export const ANCHOR = "2026-06-01"; // a Monday; the last events are on the Sunday before
export const WINDOW = { from: "2026-05-03", to: ANCHOR }; // 30 days, cut mid-week at the start

// mulberry32: a small seeded generator, so every run sends the same events.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ACCOUNTS = [
  { id: "acme", name: "Acme Corp", wave: "pilot", people: 24, engagement: 0.55 },
  { id: "globex", name: "Globex", wave: "pilot", people: 16, engagement: 0.45 },
  { id: "initech", name: "Initech", wave: "later", people: 20, engagement: 0.35 },
  { id: "umbrella", name: "Umbrella", wave: "later", people: 12, engagement: 0.3 },
  { id: "hooli", name: "Hooli", wave: "later", people: 8, engagement: 0.12 },
  { id: "", name: "", wave: "", people: 20, engagement: 0.3 },
];

export const FEATURES = ["open_document", "search", "comment", "export_pdf", "share_link"];
export const VERSIONS = ["1.3.0", "1.4.0", "1.5.0"];

export const CONFIG = {
  key_actions: ["export_pdf", "share_link"],
  tips: [
    { id: "tip-export-pdf", feature: "export_pdf", title: "Export to PDF", body: "Press Ctrl+E.", holdout_pct: 25 },
    { id: "tip-share-link", feature: "share_link", title: "Share a link", body: "Press Ctrl+L." },
  ],
  surveys: [
    { id: "nps-q2", kind: "nps", question: "How likely are you to recommend us?" },
    { id: "csat-export", kind: "csat", question: "How happy are you with PDF export?" },
    { id: "next-feature", kind: "choice", question: "What should we build next?",
      choices: ["dark mode", "offline", "api"] },
  ],
  limits: { max_tips_per_session: 1, min_minutes_between_tips: 30 },
};

export function population() {
  const rand = rng(20240611);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const today = Date.parse(ANCHOR + "T00:00:00Z");
  const events = [];
  let seq = 0;
  const emit = (e) => events.push({ id: `ev-${String(++seq).padStart(6, "0")}`, ...e });

  let n = 0;
  for (const account of ACCOUNTS) {
    for (let i = 0; i < account.people; i++) {
      n++;
      const anon = `anon-${String(n).padStart(3, "0")}`;
      // One person in nine never signs in: an anonymous person without traits.
      const user = n % 9 === 0 ? undefined : `user-${String(n).padStart(3, "0")}`;
      // First seen 40 to 4 days ago (Hooli's people early: many of them have left since).
      const startDay = -40 + Math.floor(rand() * (account.id === "hooli" ? 10 : 37));
      const engagement = Math.min(0.9, account.engagement * (0.5 + rand()));
      // Some people stop using the app: most of Hooli, a few elsewhere.
      const churnDay = rand() < (account.id === "hooli" ? 0.7 : 0.12) ? startDay + 2 + Math.floor(rand() * 12) : 0;
      // Versions: everybody starts on the version of the day they arrive and upgrades some
      // days after each release (day -26: 1.4.0, day -11: 1.5.0); some never upgrade.
      const lag14 = rand() < 0.85 ? Math.floor(rand() * 6) : 99;
      const lag15 = rand() < 0.7 ? Math.floor(rand() * 8) : 99;
      const versionOn = (d) => (d >= -11 + lag15 && lag14 !== 99 ? "1.5.0" : d >= -26 + lag14 ? "1.4.0" : "1.3.0");
      const likes = FEATURES.map(() => rand());
      const plan = rand() < 0.4 ? "pro" : "free";
      const role = rand() < 0.25 ? "admin" : "member";
      let identified = false;
      let tipDone = false;
      let shareTipDone = false;
      let boostExport = 0; // a shown tip makes PDF export likelier for a few days
      let activeDays = 0;
      const usedEver = new Set();

      for (let d = startDay; d <= Math.min(-1, churnDay || -1); d++) {
        const first = d === startDay;
        const weekday = new Date(today + d * DAY).getUTCDay();
        const p = weekday === 0 || weekday === 6 ? engagement * 0.4 : engagement;
        if (!first && rand() >= p) continue;
        activeDays++;
        let t = today + d * DAY + (7 + Math.floor(rand() * 10)) * 3_600_000 + Math.floor(rand() * 3_600_000);
        const step = () => (t += 20_000 + Math.floor(rand() * 600_000));
        const session = `${anon}-d${d + 100}`;
        const app_version = versionOn(d);
        const who = () => (identified ? { anon, user } : { anon });
        if (first) emit({ type: "track", name: "$install", anon, ts: t, session, app_version });
        emit({ type: "track", name: "$session_start", ...who(), ts: step(), session, app_version });
        if (first && user) {
          emit({ type: "identify", anon, user, ts: step(), session, app_version, props: { plan, role } });
          identified = true;
          if (account.id) {
            emit({ type: "group", anon, user, account: account.id, ts: step(), session, app_version,
                   props: { name: account.name, wave: account.wave } });
          }
        } else if (first && account.id) {
          emit({ type: "group", anon, account: account.id, ts: step(), session, app_version,
                 props: { name: account.name, wave: account.wave } });
        }
        // A person upgrades their plan half way through: the latest identify wins.
        if (user && n % 11 === 0 && activeDays === 4) {
          emit({ type: "identify", anon, user, ts: step(), session, app_version, props: { plan: "pro" } });
        }
        const uses = 1 + Math.floor(rand() * 4);
        for (let u = 0; u < uses; u++) {
          let f = FEATURES[0];
          for (let k = FEATURES.length - 1; k >= 0; k--) {
            const bonus = FEATURES[k] === "export_pdf" && boostExport > 0 ? 0.5 : 0;
            if (rand() < likes[k] * (k === 0 ? 1 : 0.35) + bonus) { f = FEATURES[k]; break; }
          }
          const ts = step();
          emit({ type: "track", name: f, ...who(), ts, session, app_version });
          if (!usedEver.has(f)) {
            usedEver.add(f);
            if (CONFIG.key_actions.includes(f)) {
              emit({ type: "track", name: "$first_action", ...who(), ts: ts + 5, session, app_version,
                     props: { feature: f, ms_since_install: ts - (today + startDay * DAY), ms_since_session_start: 60_000,
                              sessions_before: activeDays - 1 } });
            }
          }
        }
        boostExport = Math.max(0, boostExport - 1);
        // The PDF export tip, with a control group, after three active days.
        if (!tipDone && activeDays >= 2 && !usedEver.has("export_pdf")) {
          tipDone = true;
          const tip = { tip: "tip-export-pdf", feature: "export_pdf" };
          if (n % 3 === 1) {
            emit({ type: "track", name: "$tip_held_out", ...who(), ts: step(), session, app_version, props: tip });
          } else {
            emit({ type: "track", name: "$tip_shown", ...who(), ts: step(), session, app_version, props: tip });
            const r = rand();
            if (r < 0.45) {
              emit({ type: "track", name: "$tip_clicked", ...who(), ts: step(), session, app_version, props: tip });
              boostExport = 4;
            } else if (r < 0.7) {
              emit({ type: "track", name: "$tip_dismissed", ...who(), ts: step(), session, app_version,
                     props: { ...tip, snooze_hours: 24 } });
            }
          }
        }
        // The share tip has no control group: its lift is unknown.
        if (!shareTipDone && activeDays >= 2 && !usedEver.has("share_link") && n % 3 === 0) {
          shareTipDone = true;
          const tip = { tip: "tip-share-link", feature: "share_link" };
          emit({ type: "track", name: "$tip_shown", ...who(), ts: step(), session, app_version, props: tip });
          if (rand() < 0.3) emit({ type: "track", name: "$tip_clicked", ...who(), ts: step(), session, app_version, props: tip });
        }
        // Surveys on the fifth active day: NPS for most, CSAT for PDF exporters, a choice for some.
        if (activeDays === 5) {
          const survey = (id, answer) => {
            emit({ type: "track", name: "$survey_shown", ...who(), ts: step(), session, app_version, props: { survey: id } });
            if (answer === null) {
              emit({ type: "track", name: "$survey_dismissed", ...who(), ts: step(), session, app_version, props: { survey: id } });
            } else if (answer !== undefined) {
              emit({ type: "track", name: "$survey_answered", ...who(), ts: step(), session, app_version,
                     props: { survey: id, ...answer } });
            }
          };
          const r = rand();
          survey("nps-q2", r < 0.15 ? null : r < 0.25 ? undefined : { score: Math.min(10, 3 + Math.floor(rand() * 5) + Math.floor(rand() * 4)) });
          // Someone who changes their mind: the latest answer counts.
          if (n % 13 === 0) {
            emit({ type: "track", name: "$survey_answered", ...who(), ts: step(), session, app_version,
                   props: { survey: "nps-q2", score: 10 } });
          }
          if (usedEver.has("export_pdf")) survey("csat-export", rand() < 0.2 ? null : { score: 1 + Math.floor(rand() * 5) });
          if (n % 2 === 0) survey("next-feature", rand() < 0.25 ? null : { choice: pick(["dark mode", "offline", "api", "api"]) });
        }
      }
    }
  }
  // One person moves from Globex to Acme: their latest group event decides their account.
  const mover = events.find((e) => e.type === "group" && e.account === "globex" && e.user);
  if (mover) {
    emit({ type: "group", anon: mover.anon, user: mover.user, account: "acme", ts: today - 2 * DAY + 3_600_000,
           props: { name: "Acme Corp", wave: "pilot" } });
  }
  return events;
}
