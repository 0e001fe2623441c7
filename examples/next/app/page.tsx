import Link from "next/link";

export default function Home() {
  return (
    <main>
      <h1>cogkit × Next.js</h1>
      <p>
        <Link href="/sign-in">Sign in</Link> · <Link href="/account">Account (protected)</Link>
      </p>
    </main>
  );
}
