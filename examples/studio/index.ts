/**
 * A VFX studio's accsyn workspace: two volumes (projects on the HQ server, also served at the
 * Stockholm site; an archive), two show folders, vendor upload folders with write-only grants,
 * client review folders with read-only grants, freelancer homes and an onboarding collection.
 * `npm run demo` applies it to accsyn-local; against a real workspace, set accsyn:* config instead.
 */
import * as pulumi from "@pulumi/pulumi";
import * as accsyn from "pulumi-accsyn";

const config = new pulumi.Config("studio");
const shows = config.getObject<string[]>("shows") ?? ["nebula", "driftwood"];
const vendors = config.getObject<Record<string, string>>("vendors") ?? {
  acmevfx: "uploads@acmevfx.example",
  pixelforge: "io@pixelforge.example",
};
const reviewers = config.getObject<string[]>("reviewers") ?? ["producer@client-studio.example"];
const freelancers = config.getObject<string[]>("freelancers") ?? [
  "ana.freelance@example.com",
  "li.freelance@example.com",
];

const projects = new accsyn.Volume("projects", {
  name: "Projects",
  code: "projects",
  description: "Show work in progress",
  paths: { linux: "/mnt/projects", windows: "P:", mac: "/Volumes/projects", linux_vpn: "/net/hq/projects" },
  server: "hq-server",
});

const archive = new accsyn.Volume("archive", {
  name: "Archive",
  code: "archive",
  description: "Delivered shows, read-mostly",
  paths: { linux: "/mnt/archive", windows: "R:", mac: "/Volumes/archive" },
  server: "hq-server",
});

// The Stockholm office reads and writes projects through its own site server.
const stockholm = new accsyn.VolumeServer("projects-stockholm", { volume: projects, server: "sto-server" });

const showFolders: accsyn.Folder[] = [];
const uploads: Record<string, pulumi.Output<string>> = {};
const reviews: Record<string, pulumi.Output<string>> = {};

for (const show of shows) {
  const showFolder = new accsyn.Folder(`${show}`, {
    name: show.charAt(0).toUpperCase() + show.slice(1),
    code: show,
    volume: projects,
    path: `shows/${show}`,
    metadata: { show },
  });
  showFolders.push(showFolder);

  for (const [vendor, email] of Object.entries(vendors)) {
    const upload = new accsyn.Folder(`${show}-from-${vendor}`, {
      name: `${show} from ${vendor}`,
      code: `${show}_from_${vendor}`,
      volume: projects,
      path: `shows/${show}/FROM_VENDORS/${vendor}`,
    });
    // Vendors drop plates and renders here, and cannot browse what others sent.
    // Vendors are outside parties: the first up invites each one (an explicit `invite`, so a
    // mistyped e-mail elsewhere fails the preview instead of inviting a stranger).
    new accsyn.Grant(`${show}-${vendor}-upload`, {
      user: email,
      share: upload,
      invite: true,
      rules: [{ path: "/", write: true }],
      notify: false,
      message: `Upload your ${show} deliveries here.`,
    });
    uploads[`${show}/${vendor}`] = pulumi.interpolate`share=${upload.code}/`;
  }

  const review = new accsyn.Folder(`${show}-review`, {
    name: `${show} review`,
    code: `${show}_review`,
    volume: projects,
    path: `shows/${show}/REVIEW`,
  });
  for (const reviewer of reviewers) {
    new accsyn.Grant(`${show}-review-${reviewer.split("@")[0]}`, {
      user: reviewer,
      share: review,
      invite: true,
      rules: [{ path: "/", read: true }],
      notify: false,
    });
  }
  reviews[show] = pulumi.interpolate`share=${review.code}/`;
}

const onboarding = new accsyn.Collection(
  "onboarding",
  {
    name: "Freelancer onboarding",
    code: "onboarding",
    files: [`folder=${shows[0]}/docs/pipeline-guide.pdf`, "volume=archive/templates/shot_structure"],
  },
  { dependsOn: [archive, ...showFolders] },
);

const homes: Record<string, pulumi.Output<string>> = {};
for (const email of freelancers) {
  const handle = email.split("@")[0].replace(/[^a-z0-9]/gi, "-");
  // Onboarding invites the freelancer (a new standard user), so the home can be created after.
  const access = new accsyn.Grant(`onboarding-${handle}`, {
    user: email,
    share: onboarding,
    invite: true,
    rules: [{ path: "/", read: true }],
    notify: false,
  });
  // The freelancer's e-mail once the onboarding Grant has invited them: the home and its Grant wait
  // for it, and a first preview (before the invite) leaves the user to be checked at `up`.
  const invited = access.id.apply(() => email);
  const home = new accsyn.Home(`home-${handle}`, {
    user: invited,
    volume: projects,
    description: `Home of ${email}`,
  });
  new accsyn.Grant(`home-${handle}-access`, {
    user: invited,
    share: home,
    rules: [{ path: "/", read: true, write: true }],
    notify: false,
  });
  homes[email] = home.code;
}

export const volumes = { projects: projects.id, archive: archive.id };
export const stockholmSiteServer = stockholm.siteServer;
export const vendorUploadPaths = uploads;
export const reviewPaths = reviews;
export const onboardingCollection = onboarding.id;
export const freelancerHomes = homes;
